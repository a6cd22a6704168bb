import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { DB } from '../../db/client.js';
import {
  type Answers,
  type AnswerValue,
  createForm,
  type FormDefinition,
  type FormField,
  fieldStates,
  type LoadedForm,
  listCurrentForms,
  updateForm,
  validateAnswers,
  ZFormDefinition,
  ZFormKey,
} from '../../modules/forms/index.js';
import type { SimForms } from './simulate-activity.js';

const FORMS_DIR = new URL('../../../demo/forms/', import.meta.url);

/** A demo form file (demo/forms/<key>.json): its key, its place on the contact page and its definition. */
export const ZDemoFormFile = z
  .object({ key: ZFormKey, position: z.number().int().min(0), definition: ZFormDefinition })
  .strict();
export type DemoForm = z.infer<typeof ZDemoFormFile> & { definition: FormDefinition };

/** The demo's contact forms, in contact-page order, each checked by ZFormDefinition (throws naming the file). */
export function loadDemoForms(): DemoForm[] {
  return fs
    .readdirSync(FORMS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const parsed = ZDemoFormFile.safeParse(JSON.parse(fs.readFileSync(new URL(name, FORMS_DIR), 'utf8')));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`demo/forms/${name}: ${issue?.path.join('.')}: ${issue?.message}`);
      }
      if (`${parsed.data.key}.json` !== name) throw new Error(`demo/forms/${name}: key "${parsed.data.key}"`);
      return parsed.data;
    })
    .sort((a, b) => a.position - b.position);
}

export interface SeedFormsResult {
  created: number;
  updated: number;
  forms: LoadedForm[];
}

/**
 * Creates the demo forms, or brings them up to date: a changed definition becomes a new version (through the
 * kernel's createForm / updateForm, audited); an unchanged one is left alone, so seeding again writes nothing.
 */
export async function seedForms(db: DB): Promise<SeedFormsResult> {
  const existing = new Map((await listCurrentForms(db)).map((f) => [f.key, f]));
  let created = 0;
  let updated = 0;
  for (const demo of loadDemoForms()) {
    const current = existing.get(demo.key);
    if (!current) {
      await createForm(db, { key: demo.key, definition: demo.definition, position: demo.position });
      created += 1;
    } else if (!isDeepStrictEqual(current.definition, demo.definition) || current.position !== demo.position) {
      await updateForm(db, demo.key, { definition: demo.definition, position: demo.position });
      updated += 1;
    }
  }
  const keys = new Set(loadDemoForms().map((f) => f.key));
  return { created, updated, forms: (await listCurrentForms(db)).filter((f) => keys.has(f.key)) };
}

// ---------------------------------------------------------------------------------------------------------------
// How the simulated readers use the forms.

/** The form a reader picks for an article they were after; anything else goes to "general". */
const FORM_BY_ARTICLE: Record<string, string> = {
  'create-account': 'account-access',
  'verify-your-email': 'account-access',
  'reset-password': 'account-access',
  'two-factor-authentication': 'account-access',
  'cant-log-in': 'account-access',
  'hacked-account': 'account-access',
  'subscription-plans': 'billing',
  'cancel-pinwheel-plus': 'billing',
  'payment-methods': 'billing',
  'failed-payments': 'billing',
  'billing-threshold': 'billing',
  'invoices-and-receipts': 'billing',
  'set-ads-budget': 'billing',
  'block-a-user': 'safety',
  'report-a-pin': 'safety',
  'report-harassment': 'safety',
};

/** The option a reader picks in the form's category field, by the article they were after. */
const OPTION_BY_ARTICLE: Record<string, string> = {
  'create-account': 'cant_sign_in',
  'verify-your-email': 'verification',
  'reset-password': 'password_reset',
  'two-factor-authentication': 'two_factor',
  'cant-log-in': 'cant_sign_in',
  'hacked-account': 'hacked',
  'subscription-plans': 'charged_twice',
  'cancel-pinwheel-plus': 'refund',
  'payment-methods': 'payment_failed',
  'failed-payments': 'payment_failed',
  'billing-threshold': 'unknown_charge',
  'invoices-and-receipts': 'invoice',
  'set-ads-budget': 'unknown_charge',
  'block-a-user': 'harassment',
  'report-a-pin': 'scam',
  'report-harassment': 'harassment',
  'create-a-pin': 'pins',
  'save-a-pin': 'pins',
  'upload-video-pins': 'pins',
  'edit-or-delete-a-pin': 'pins',
  'why-was-my-pin-removed': 'pins',
  'create-a-board': 'boards',
  'secret-boards': 'boards',
  'group-boards': 'boards',
  'organise-board-sections': 'boards',
  'merge-or-delete-boards': 'boards',
  'create-ad-campaign': 'ads',
  'ad-review-and-rejections': 'ads',
  'install-conversion-tag': 'ads',
  'ads-reporting': 'ads',
  'app-crashes': 'app',
  'notifications-not-arriving': 'app',
  'images-not-loading': 'app',
  'change-username': 'profile',
  'switch-to-business-account': 'profile',
  'delete-account': 'profile',
  'privacy-settings': 'privacy',
  'personalisation-and-ad-preferences': 'privacy',
  'download-your-data': 'privacy',
};

/** The demo's form journeys for simulateActivity: the form each reader picks and what each form suggests. */
export const DEMO_FORM_JOURNEYS: SimForms = {
  formFor: (slug) => (slug !== undefined ? (FORM_BY_ARTICLE[slug] ?? 'general') : 'general'),
  suggestions: {
    'account-access': ['cant-log-in', 'reset-password', 'two-factor-authentication', 'hacked-account'],
    billing: ['cancel-pinwheel-plus', 'failed-payments', 'invoices-and-receipts', 'payment-methods'],
    safety: ['report-harassment', 'block-a-user', 'report-a-pin'],
    general: ['app-crashes', 'images-not-loading', 'create-a-pin', 'group-boards'],
  },
};

/** What a simulated reader knows when filling a form: their own words and where they came from. */
export interface DemoAnswerInput {
  random: () => number;
  subject: string;
  body: string;
  email: string;
  /** When they sent it (dates they give are a little before). */
  at: Date;
  /** The article they were after. */
  about?: string | undefined;
  region: string;
}

const VAT_BY_REGION: Record<string, string> = {
  eu: 'DE294776378',
  gb: 'GB123456789',
  jp: 'T1234567890123',
  sa: '310122393500003',
  il: '514713288',
};

function isoDay(at: Date, daysBefore: number): string {
  return new Date(at.getTime() - daysBefore * 86_400_000).toISOString().slice(0, 10);
}

function pickOption(field: FormField, input: DemoAnswerInput): string | undefined {
  const options = (field.options ?? []).map((o) => o.value);
  const preferred = input.about ? OPTION_BY_ARTICLE[input.about] : undefined;
  if (preferred && options.includes(preferred) && input.random() < 0.8) return preferred;
  if (options.includes('yes') && options.includes('no') && field.name === 'in_danger')
    return input.random() < 0.06 ? 'yes' : 'no';
  return options[Math.floor(input.random() * options.length)];
}

/** A plausible answer of a simulated reader to one shown field (undefined: left empty). */
function demoValue(field: FormField, required: boolean, input: DemoAnswerInput): AnswerValue | undefined {
  const { random } = input;
  const clip = (text: string) =>
    Array.from(text)
      .slice(0, field.maxLength ?? 300)
      .join('');
  if (field.role === 'subject') return clip(input.subject);
  if (field.role === 'description') return clip(input.body || input.subject);
  if (field.role === 'email') return input.email;
  if (!required && random() < 0.5) return undefined;
  switch (field.type) {
    case 'select':
    case 'radio':
      return pickOption(field, input);
    case 'checkboxes': {
      const options = (field.options ?? []).map((o) => o.value);
      const chosen = options.filter(() => random() < 0.4);
      return chosen.length > 0 ? chosen : options.slice(0, 1);
    }
    case 'date':
      return isoDay(input.at, 1 + Math.floor(random() * 10));
    case 'number':
      return [4.99, 9.99, 14.99, 49.99, 120][Math.floor(random() * 5)];
    case 'email':
      return `previous.${input.email}`;
    case 'text':
    case 'textarea': {
      if (field.name === 'order_id') return `PW-${String(10_000_000 + Math.floor(random() * 89_999_999))}`;
      if (field.name === 'vat_number') return VAT_BY_REGION[input.region] ?? 'DE294776378';
      if (field.name === 'app_version') return `12.${Math.floor(random() * 9)}.${Math.floor(random() * 5)}`;
      if (field.name === 'links') return `https://pinwheel.example/pin/${Math.floor(random() * 1e9)}`;
      return required ? clip(input.subject) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * A simulated reader's answers to a form, field after field as the conditions reveal them, checked by the same
 * validator the server uses: throws when a form and the simulation disagree, so every simulated ticket is one
 * the form would have accepted. Files and hidden (context) fields are left out.
 */
export function demoFormAnswers(definition: FormDefinition, input: DemoAnswerInput): Answers {
  const answers: Answers = {};
  for (const field of definition.fields) {
    const state = fieldStates(definition, answers).states[field.name];
    if (!state?.visible || field.type === 'notice' || field.type === 'hidden' || field.type === 'file') continue;
    const value = demoValue(field, state.required, input);
    if (value !== undefined) answers[field.name] = value;
  }
  const checked = validateAnswers(definition, answers);
  if (checked.problems.length > 0)
    throw new Error(`simulated answers refused: ${checked.problems.map((p) => `${p.field} ${p.code}`).join(', ')}`);
  return checked.answers;
}
