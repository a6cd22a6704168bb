import { ApiError } from '../../api/client.js';
import type { FormField } from '../../api/forms.js';

export interface BuilderErrors {
  /** Problems of the form itself ("title", "fields", "enabled"...), by path below the definition. */
  form: Record<string, string>;
  /** Problems of each field, by the field's name when it was saved, then by the rest of the path ("" for itself). */
  fields: Record<string, Record<string, string>>;
}

export const NO_ERRORS: BuilderErrors = { form: {}, fields: {} };

/**
 * The server's 400 details placed where they belong: `body.definition.fields.3.showIf` goes beside the fourth
 * field's show-when condition (named, so it stays beside that field when the list is reordered before the next save).
 */
export function builderErrors(error: unknown, fields: FormField[]): BuilderErrors {
  if (!(error instanceof ApiError) || error.details.length === 0) return NO_ERRORS;
  const out: BuilderErrors = { form: {}, fields: {} };
  for (const detail of error.details) {
    const path = detail.path.replace(/^body\.?/, '').replace(/^definition\.?/, '');
    const match = /^fields\.(\d+)(?:\.(.+))?$/.exec(path);
    const field = match ? fields[Number(match[1])] : undefined;
    if (match && field) {
      const at = out.fields[field.name] ?? {};
      at[match[2] ?? ''] ??= detail.message;
      out.fields[field.name] = at;
    } else out.form[path || 'definition'] ??= detail.message;
  }
  return out;
}
