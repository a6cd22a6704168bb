/** How long forwarding waits between attempts: exponential from `baseMs`, capped at `maxMs`. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** The ceiling of the wait after failed attempt `attempt` (1-based): min(maxMs, baseMs · 2^(attempt−1)). */
export function backoffCeilingMs(attempt: number, policy: BackoffPolicy): number {
  // 2^60 already exceeds every cap; clamping the exponent keeps the arithmetic finite.
  const exponent = Math.min(60, Math.max(0, attempt - 1));
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}

/**
 * The wait after failed attempt `attempt`, with "full jitter": uniform in [0, ceiling]. Full rather than decorrelated
 * jitter because every outbox row failed at the same moment when the help desk went down (a hundred tickets filed
 * during an outage share one schedule); full jitter spreads their retries over the whole window, so a desk coming
 * back up gets a trickle instead of the whole backlog at each doubling, and it needs no per-row state beyond the
 * attempt count the row already keeps (decorrelated jitter needs the previous delay).
 */
export function retryDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(backoffCeilingMs(attempt, policy) * r);
}
