import { AppError } from '../../server/errors.js';

// The fixed-window budgets moved to the shared kernel (the HTTP limiters use them too); the forms keep their names.
export { deleteEndedWindows, type RateBudget, takeRateBudget } from '../../shared/rate-limit-store.js';

/** 429 RATE_LIMITED with the seconds to wait: the route sends them as Retry-After, the page shows them. */
export class RateLimitExceeded extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', message);
  }
}
