/**
 * The catalogue of stable error codes. Each is documented in docs/ERRORS.md; a retired code is never reused.
 * The message is for the user (4xx) and says what was wrong; 5xx answers never reveal internals.
 */
export const ERROR_CODES = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  INVALID_TEXT: 400,
  INVALID_VALUE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CROSS_ORIGIN_REFUSED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  VOTE_REVISION_NOT_CURRENT: 409,
  SEARCH_UNKNOWN: 422,
  CLICK_NOT_IN_RESULTS: 422,
  UNKNOWN_LOCALE: 400,
  LOCALE_FALLBACK_INVALID: 400,
  LOCALE_EXISTS: 409,
  LOCALE_IS_DEFAULT: 409,
  LOGIN_THROTTLED: 429,
  CSRF_REFUSED: 403,
  LAST_ADMIN: 409,
  CANNOT_DEACTIVATE_SELF: 409,
  EMAIL_TAKEN: 409,
  CURRENT_PASSWORD_WRONG: 403,
  TOPIC_CYCLE: 409,
  REGION_IS_DEFAULT: 409,
  NOT_A_TRANSLATION: 409,
  WEBHOOK_URL_REFUSED: 400,
  FORM_EXISTS: 409,
  FORM_CHALLENGE_FAILED: 403,
  FORM_SPAM_SUSPECTED: 400,
  FORM_TOKEN_INVALID: 400,
  THEME_DECIDED: 409,
  THEME_DISCOVERY_RUNNING: 409,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetail {
  path: string;
  message: string;
  /** A form submission's refusals name the form field (its answer's key) here, with `path` "answers.<field>". */
  field?: string;
}

/** The one error type the application throws on purpose. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.status = ERROR_CODES[code];
  }
}

/** Shorthand for a 404 naming what was not found. */
export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what} was not found`);
}
