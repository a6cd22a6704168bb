/** One event of one person, as the funnel sees it. */
export interface FunnelEvent {
  /** Milliseconds since the epoch; a person's events come sorted by it. */
  at: number;
  event: string;
  /** The breakdown property (locale, article) of this event, if any. */
  value: string | null;
}

export interface FunnelPersonResult {
  /** Steps completed in order within the window: 0 when the first step never happened in range. */
  depth: number;
  /** First touch: the breakdown value of the first matched step event that has one. */
  value: string | null;
}

/**
 * Where one person got in an ordered funnel: each step must happen after the previous one (other events may
 * come between) and before `start + windowMs`, where the start is an occurrence of the first step no later than
 * `lastStart`. Every occurrence of the first step is tried; the deepest path wins, the earliest among equals.
 * Greedy earliest matching is optimal here: an earlier match for a step never leaves fewer chances for the next.
 */
export function funnelPersonDepth(
  events: readonly FunnelEvent[],
  steps: readonly (readonly string[])[],
  windowMs: number,
  firstStart: number,
  lastStart: number,
): FunnelPersonResult {
  let best: FunnelPersonResult = { depth: 0, value: null };
  const stepSets = steps.map((s) => new Set(s));
  for (let i = 0; i < events.length; i++) {
    const start = events[i]!;
    if (start.at < firstStart || start.at >= lastStart || !stepSets[0]!.has(start.event)) continue;
    let depth = 1;
    let value = start.value;
    const deadline = start.at + windowMs;
    for (let j = i + 1; j < events.length && depth < steps.length; j++) {
      const next = events[j]!;
      if (next.at > deadline) break;
      if (stepSets[depth]!.has(next.event)) {
        depth += 1;
        value ??= next.value;
      }
    }
    if (depth > best.depth) best = { depth, value };
    if (best.depth === steps.length) break;
  }
  return best;
}

export interface FunnelCounts {
  value: string | null;
  /** Persons who reached each step. */
  counts: number[];
  /** Share of the first step's persons who reached each step (1 for the first). */
  conversion: number[];
}

function toCounts(value: string | null, reached: number[]): FunnelCounts {
  const first = reached[0] ?? 0;
  return {
    value,
    counts: reached,
    conversion: reached.map((n) => (first === 0 ? 0 : Math.round((n / first) * 10_000) / 10_000)),
  };
}

/** Aggregates persons' depths into counts per step, overall and per breakdown value (largest groups first). */
export function aggregateFunnel(
  results: Iterable<FunnelPersonResult>,
  stepCount: number,
): { total: FunnelCounts; breakdown: FunnelCounts[] } {
  const total = new Array<number>(stepCount).fill(0);
  const groups = new Map<string | null, number[]>();
  for (const result of results) {
    if (result.depth === 0) continue;
    let group = groups.get(result.value);
    if (!group) {
      group = new Array<number>(stepCount).fill(0);
      groups.set(result.value, group);
    }
    for (let k = 0; k < result.depth; k++) {
      total[k]! += 1;
      group[k]! += 1;
    }
  }
  const breakdown = [...groups]
    .map(([value, reached]) => toCounts(value, reached))
    .sort((a, b) => b.counts[0]! - a.counts[0]! || String(a.value).localeCompare(String(b.value)));
  return { total: toCounts(null, total), breakdown };
}
