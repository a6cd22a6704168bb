import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import type { DecliningResponse, RevisionsResponse } from './insights.schema.js';
import { type PlantedTruth, plantHelpCenter } from './testing/plant-help-center.js';

/**
 * The insights against a help center with planted truth (see plantHelpCenter): through the HTTP API as the admin
 * app calls it, they must find the declining articles and the missing topic with precision and recall ≥ 0.9, and
 * the revision effects' 95 % intervals must cover the planted effect for ≥ 90 % of the edits. Each measure prints
 * one line, so the figures can be reported.
 */

const key = (slug: string, locale: string) => `${slug}|${locale}`;
const fold = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

describe('insights against a help center with planted truth', () => {
  let t: TestApp;
  let truth: PlantedTruth;
  beforeAll(async () => {
    const started = Date.now();
    t = await createTestApp({
      prepare: async (database) => {
        truth = await plantHelpCenter(database.db);
      },
    });
    console.log(`planted help center: ${JSON.stringify(truth.counts)} in ${Date.now() - started} ms`);
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  it('finds the declining articles (precision and recall ≥ 0.9), despite a dip everywhere', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/insights/declining', headers: t.operator });
    expect(res.statusCode).toBe(200);
    const body = res.json<DecliningResponse>();
    const found = new Set(body.articles.map((a) => key(a.slug, a.locale)));
    // Recall: of the planted declines. Precision: of what was found, the share that truly fell (a planted decline,
    // or a harmful edit whose fall landed in the recent window); a translation that fell by less than a material
    // amount is neither a miss nor a false find.
    const planted = new Set(truth.declining.map((d) => key(d.slug, d.locale)));
    const fell = new Set([...planted, ...truth.alsoDeclined.map((d) => key(d.slug, d.locale))]);
    const ambiguous = new Set(truth.ambiguous.map((d) => key(d.slug, d.locale)));
    const judged = [...found].filter((k) => !ambiguous.has(k));
    const right = judged.filter((k) => fell.has(k)).length;
    const hits = [...found].filter((k) => planted.has(k)).length;
    const precision = judged.length === 0 ? 0 : right / judged.length;
    const recall = hits / planted.size;
    const drops = new Map(truth.declining.map((d) => [key(d.slug, d.locale), d.decline]));
    const missed = [...planted].filter((k) => !found.has(k)).map((k) => `${k} (fell ${drops.get(k)?.toFixed(2)})`);
    const extra = judged.filter((k) => !fell.has(k));
    const editsFound = [...found].filter((k) => fell.has(k) && !planted.has(k)).length;
    console.log(
      `declining: precision ${precision.toFixed(3)} (${right}/${judged.length}), recall ${recall.toFixed(3)} (${hits}/${planted.size}); also found ${editsFound} of ${truth.alsoDeclined.length} harmful edits, ${found.size - judged.length} ambiguous; tested ${body.tested}; missed ${missed.join(', ') || '-'}; false ${extra.join(', ') || '-'}`,
    );
    // The dip is real: the help center's own rate fell in the recent window, so a method without the correction
    // would flag nearly every article.
    expect(body.helpCenter.recentRate!).toBeLessThan(body.helpCenter.baselineRate! - 0.04);
    expect(planted.size).toBe(16);
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);

    // The same rows as CSV.
    const csv = await t.app.inject({
      method: 'GET',
      url: '/api/insights/declining',
      headers: { ...t.operator, accept: 'text/csv' },
    });
    const rows = parse(csv.body, { columns: true, bom: true }) as { slug: string; locale: string }[];
    expect(new Set(rows.map((r) => key(r.slug, r.locale)))).toEqual(found);
  });

  it('finds the missing topic among the content gaps (recall, and precision ≥ 0.9 above the volume threshold)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/insights/gaps', headers: t.operator });
    expect(res.statusCode).toBe(200);
    const { gaps } = res.json<{ gaps: { phrase: string; volume: number; examples: string[] }[] }>();
    // A returned gap is the planted one when its phrase or one of its examples is a phrase readers used for it.
    const planted = new Set(truth.gapPhrases.map(fold));
    const isPlanted = (g: { phrase: string; examples: string[] }) =>
      [g.phrase, ...g.examples].some((text) => planted.has(fold(text)));
    const hits = gaps.filter(isPlanted);
    const precision = gaps.length === 0 ? 0 : hits.length / gaps.length;
    const recall = hits.length > 0 ? 1 : 0;
    const wrong = gaps.filter((g) => !isPlanted(g)).map((g) => `"${g.phrase}" (${g.volume})`);
    console.log(
      `gaps: recall ${recall} (${hits.length} cluster(s): ${hits.map((g) => `"${g.phrase}" ${g.volume}`).join(', ')}), precision ${precision.toFixed(3)} (${hits.length}/${gaps.length}); others ${wrong.slice(0, 8).join(', ') || '-'}`,
    );
    expect(recall).toBe(1);
    expect(precision).toBeGreaterThanOrEqual(0.9);
  });

  it("covers the planted effect of ≥ 90 % of the edits with the revision's 95 % interval", async () => {
    let covered = 0;
    const lines: string[] = [];
    const withDid = { n: 0 };
    for (const edit of truth.edits) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/insights/articles/${edit.slug}/revisions?locale=${edit.locale}`,
        headers: t.operator,
      });
      expect(res.statusCode).toBe(200);
      const revision = res.json<RevisionsResponse>().revisions.find((r) => r.revision === edit.revision);
      const effect = revision?.effect;
      expect(effect, `${edit.slug}/${edit.locale} revision ${edit.revision}`).toBeTruthy();
      if (!effect) continue;
      // The difference-in-differences when there are controls: a dip everywhere in the after window would
      // otherwise be credited to (or blamed on) the edit.
      const did = effect.didLow !== null && effect.didHigh !== null;
      if (did) withDid.n += 1;
      const [low, high] = did ? [effect.didLow!, effect.didHigh!] : [effect.low, effect.high];
      const ok = low <= edit.effect && edit.effect <= high;
      if (ok) covered += 1;
      else lines.push(`${edit.slug}/${edit.locale} planted ${edit.effect} got [${low.toFixed(3)}, ${high.toFixed(3)}]`);
    }
    const coverage = covered / truth.edits.length;
    console.log(
      `revision effects: coverage ${coverage.toFixed(3)} (${covered}/${truth.edits.length}, ${withDid.n} by DiD); missed ${lines.join('; ') || '-'}`,
    );
    expect(truth.edits.length).toBe(24);
    expect(coverage).toBeGreaterThanOrEqual(0.9);
  });
});
