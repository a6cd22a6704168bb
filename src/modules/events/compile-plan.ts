import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { MessageType } from './events.tables.js';
import { planKeyOf, type TrackingPlan } from './tracking-plan.js';

// ajv-formats is CommonJS; under NodeNext its default export is the module object in types, the function at run time.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export interface ViolationReason {
  path: string;
  message: string;
}

/** A tracking plan with one compiled validator per event, cached per plan version. */
export interface CompiledPlan {
  version: number;
  plan: TrackingPlan;
  validators: Map<string, ValidateFunction>;
}

export type PlanVerdict =
  | { action: 'accept'; flagged: false; reasons: [] }
  | { action: 'accept' | 'drop'; flagged: true; reasons: ViolationReason[] };

export class PlanSchemaError extends Error {
  constructor(readonly problems: ViolationReason[]) {
    super(`the tracking plan has invalid schemas: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'PlanSchemaError';
  }
}

const MAX_REASONS = 10;

/** Compiles every event schema of a plan with ajv; throws PlanSchemaError listing every schema that does not compile. */
export function compilePlan(version: number, plan: TrackingPlan): CompiledPlan {
  // strict mode turns a misspelt keyword ("requird") into an error instead of a schema that checks nothing.
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }));
  const validators = new Map<string, ValidateFunction>();
  const problems: ViolationReason[] = [];
  for (const [name, definition] of Object.entries(plan.events)) {
    try {
      validators.set(name, ajv.compile(definition.schema));
    } catch (error) {
      problems.push({ path: `events.${name}.schema`, message: (error as Error).message });
    }
  }
  if (problems.length > 0) throw new PlanSchemaError(problems);
  return { version, plan, validators };
}

function reasonsOf(errors: ErrorObject[] | null | undefined): ViolationReason[] {
  return (errors ?? []).slice(0, MAX_REASONS).map((error) => {
    const missing = error.keyword === 'required' ? `.${String(error.params.missingProperty)}` : '';
    const path = `properties${error.instancePath.replaceAll('/', '.')}${missing}`;
    const allowed = error.keyword === 'enum' ? `: ${(error.params.allowedValues as unknown[]).join(', ')}` : '';
    return { path, message: `${error.message ?? 'is invalid'}${allowed}` };
  });
}

/** Checks one message's payload against the plan and says what to do with it. */
export function checkAgainstPlan(
  compiled: CompiledPlan,
  type: MessageType,
  event: string | undefined,
  payload: Record<string, unknown>,
): PlanVerdict {
  const key = planKeyOf(type, event);
  if (key === null) return { action: 'accept', flagged: false, reasons: [] };
  const validate = compiled.validators.get(key);
  if (!validate) {
    // Only track calls can be unplanned: a plan without "Page Viewed" simply does not check page calls.
    if (type !== 'track' || compiled.plan.unplanned === 'accept')
      return { action: 'accept', flagged: false, reasons: [] };
    return {
      action: compiled.plan.unplanned === 'drop_and_flag' ? 'drop' : 'accept',
      flagged: true,
      reasons: [{ path: 'event', message: `"${key}" is not in the tracking plan` }],
    };
  }
  if (validate(payload)) return { action: 'accept', flagged: false, reasons: [] };
  const definition = compiled.plan.events[key]!;
  return {
    action: definition.onViolation === 'drop_and_flag' ? 'drop' : 'accept',
    flagged: true,
    reasons: reasonsOf(validate.errors),
  };
}
