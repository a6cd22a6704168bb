import { ApiError } from '../../api/client.js';
import { notify } from '../../components/notify.js';

/**
 * How the configuration and team screens report the outcome of a write: a short confirmation, or the server's own
 * words for a refusal (its messages are written for users, see docs/ERRORS.md). Shared by those screens.
 */
export function notifySaved(message: string): void {
  notify('success', message);
}

export function notifyFailed(error: unknown): void {
  const message = error instanceof ApiError ? error.message : String(error);
  notify('error', message);
}

/** The server's per-field messages (`details[].path` → message), to show beside the fields they concern. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const detail of error.details) out[detail.path.split('.')[0] ?? detail.path] ??= detail.message;
  return out;
}
