import { describe, expect, it } from 'vitest';
import { averageMetrics, evaluateRelevance, parseRelevanceFile, scoreRanking } from './evaluate-relevance.js';

describe('scoreRanking', () => {
  it('scores a perfect, a second-place and a missing answer', () => {
    expect(scoreRanking(['a', 'b'], ['a'])).toEqual({ mrr10: 1, recall1: 1, recall5: 1, ndcg10: 1 });
    const second = scoreRanking(['x', 'a'], ['a']);
    expect(second.mrr10).toBe(0.5);
    expect(second.recall1).toBe(0);
    expect(second.recall5).toBe(1);
    expect(second.ndcg10).toBeCloseTo(1 / Math.log2(3));
    expect(scoreRanking(['x', 'y'], ['a'])).toEqual({ mrr10: 0, recall1: 0, recall5: 0, ndcg10: 0 });
  });

  it('caps recall by k, so two relevant articles ranked first and second score 1', () => {
    expect(scoreRanking(['a', 'b'], ['a', 'b']).recall1).toBe(1);
    expect(scoreRanking(['a', 'x', 'b'], ['a', 'b']).ndcg10).toBeLessThan(1);
  });

  it('ignores anything ranked below 10 for MRR@10 and nDCG@10', () => {
    const ranked = [...Array.from({ length: 10 }, (_, i) => `x${i}`), 'a'];
    expect(scoreRanking(ranked, ['a']).mrr10).toBe(0);
  });
});

describe('evaluateRelevance and parseRelevanceFile', () => {
  it('averages over queries', async () => {
    const judgements = parseRelevanceFile(
      '{"query":"a","relevant":["a"]}\n\n{"query":"b","relevant":["b"],"locale":"es"}\n',
    );
    const evaluated = await evaluateRelevance(judgements, (j) => (j.query === 'a' ? ['a'] : ['x', 'b']));
    expect(averageMetrics(evaluated)).toMatchObject({ queries: 2, mrr10: 0.75, recall1: 0.5, recall5: 1 });
  });

  it('names the line of a mistake', () => {
    expect(() => parseRelevanceFile('{"query":"a","relevant":["a"]}\n{"query":""}', 'q.jsonl')).toThrow(/q\.jsonl:2: /);
    expect(() => parseRelevanceFile('nope', 'q.jsonl')).toThrow(/q\.jsonl:1: not valid JSON/);
  });
});
