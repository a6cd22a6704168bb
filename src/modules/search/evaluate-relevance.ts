import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';

/** One line of a relevance file: a query and the slugs that answer it (any order), optionally in a locale. */
export const ZRelevanceJudgement = z.object({
  query: z.string().trim().min(1).max(LIMITS.searchQuery),
  relevant: z.array(z.string().min(1).max(LIMITS.slug)).min(1),
  locale: z.string().min(2).max(10).optional(),
  note: z.string().optional(),
});
export type RelevanceJudgement = z.infer<typeof ZRelevanceJudgement>;

export interface ComputedMetrics {
  queries: number;
  mrr10: number;
  recall1: number;
  recall5: number;
  ndcg10: number;
}

/** Metrics of one ranked list against the relevant slugs (binary relevance). */
export function scoreRanking(ranked: readonly string[], relevant: readonly string[]): Omit<ComputedMetrics, 'queries'> {
  const rel = new Set(relevant);
  const top10 = ranked.slice(0, 10);
  const first = top10.findIndex((slug) => rel.has(slug));
  // Recall is capped by k, so a perfect ranking scores 1 even when a query has more relevant articles than k.
  const recallAt = (k: number) => ranked.slice(0, k).filter((s) => rel.has(s)).length / Math.min(rel.size, k);
  let dcg = 0;
  top10.forEach((slug, i) => {
    if (rel.has(slug)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(rel.size, 10); i++) ideal += 1 / Math.log2(i + 2);
  return {
    mrr10: first < 0 ? 0 : 1 / (first + 1),
    recall1: recallAt(1),
    recall5: recallAt(5),
    ndcg10: ideal > 0 ? dcg / ideal : 0,
  };
}

export interface QueryEvaluation {
  judgement: RelevanceJudgement;
  ranked: string[];
  metrics: Omit<ComputedMetrics, 'queries'>;
}

/** The mean of per-query metrics (rounded to three decimals). */
export function averageMetrics(items: readonly { metrics: Omit<ComputedMetrics, 'queries'> }[]): ComputedMetrics {
  const n = Math.max(1, items.length);
  const mean = (pick: (m: Omit<ComputedMetrics, 'queries'>) => number) =>
    Math.round((items.reduce((s, i) => s + pick(i.metrics), 0) / n) * 1000) / 1000;
  return {
    queries: items.length,
    mrr10: mean((m) => m.mrr10),
    recall1: mean((m) => m.recall1),
    recall5: mean((m) => m.recall5),
    ndcg10: mean((m) => m.ndcg10),
  };
}

/** Runs `rank` for each judgement and scores it; average with averageMetrics (overall or per locale). */
export async function evaluateRelevance(
  judgements: readonly RelevanceJudgement[],
  rank: (judgement: RelevanceJudgement) => Promise<string[]> | string[],
): Promise<QueryEvaluation[]> {
  const out: QueryEvaluation[] = [];
  for (const judgement of judgements) {
    const ranked = await rank(judgement);
    out.push({ judgement, ranked, metrics: scoreRanking(ranked, judgement.relevant) });
  }
  return out;
}

/** Parses a JSONL relevance file, naming the line of any mistake. */
export function parseRelevanceFile(text: string, name = 'relevance file'): RelevanceJudgement[] {
  const out: RelevanceJudgement[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${name}:${i + 1}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = ZRelevanceJudgement.safeParse(value);
    if (!parsed.success) {
      throw new Error(
        `${name}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'line'}: ${x.message}`).join('; ')}`,
      );
    }
    out.push(parsed.data);
  });
  return out;
}
