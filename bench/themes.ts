/**
 * Theme discovery benchmark: clusters labelled sets with the labels hidden and scores the clusters against them
 * (NMI and purity), ours against plain k-means in the same run.
 *
 * Ours clusters each language on its own, as the product does (discover-themes.ts); the pooled assignment is the
 * union of the per-language clusterings (a language with too few texts is one cluster). Each set is scored pooled,
 * and per language when it has several.
 * - ours, true k: TF-IDF word unigrams + character 3–5-grams → LSA → spherical k-means (k-means++, 4 restarts), per
 *   language at the number of classes present in that language (no noise removal: every text gets a cluster, as the
 *   baseline's do).
 * - ours, automatic k: the same, k chosen per language by silhouette over the grid 2…kMax (the product's range is
 *   2…40; here 2…max(40, 2 × true k) so a set with more classes than 40 is not capped by construction).
 * - baseline: Lloyd's k-means, k-means++ init, Euclidean on L2-normalised TF-IDF word unigrams (raw counts, smooth
 *   idf, no minimum frequency, as scikit-learn's TfidfVectorizer defaults), best of 4 restarts by inertia: pooled at
 *   the true k over every text (what one clustering of a mixed-language set gives), and per language at that
 *   language's k.
 *
 * Data: every /work/shared/data/<set>/test.csv (columns text, category, and language when the set has one) and the
 * demo's demo/feedback/examples*.jsonl (its first label; language detected with the example's locale as the prior).
 * Also times discoverThemes end to end (defaults) on the first 5,000 texts of a train.csv.
 * No setting here was chosen by looking at these sets' labels; the product defaults are used as they are.
 *
 * Run: npm run bench -- themes
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normalizedMutualInformation, purity } from '../src/modules/classify/cluster-agreement.js';
import { detectLanguages } from '../src/modules/classify/detect-language.js';
import { clusterTextsByLanguage, discoverThemes } from '../src/modules/classify/discover-themes.js';
import { extractFeatureKeys, type SparseVector, vectorizeKeys } from '../src/modules/classify/extract-features.js';
import { fitFeatureSpace } from '../src/modules/classify/fit-feature-space.js';
import { readLabeledFile } from '../src/modules/classify/index.js';
import { createRandom } from '../src/modules/classify/seeded-random.js';

const SEED = 13;
const RESTARTS = 4;

interface LabelledSet {
  name: string;
  texts: string[];
  classes: string[];
  /** Each text's language: the set's `language` column, else detected (with the page's locale as the prior). */
  languages: string[];
  languageSource: 'column' | 'detected';
}

/** The baseline's features: TF-IDF word unigrams, raw term counts, L2-normalised. */
function wordUnigramTfIdf(texts: readonly string[]): { rows: SparseVector[]; features: number } {
  const config = { wordNgramMax: 1, charNgramMin: 0, charNgramMax: 0, minDf: 1, charWeight: 1, sublinearTf: false };
  const keys = texts.map((t) => extractFeatureKeys(t, config));
  const space = fitFeatureSpace(keys, config);
  return { rows: keys.map((k) => vectorizeKeys(space, k)), features: space.idf.length };
}

/** Lloyd's k-means (Euclidean) on sparse unit rows with dense centroids; k-means++ seeding; best inertia of restarts. */
function lloydKMeans(rows: readonly SparseVector[], features: number, k: number, seed: number): Int32Array {
  const n = rows.length;
  const random = createRandom(seed);
  const dotRow = (i: number, centroids: Float64Array, c: number) => {
    const { indices, values } = rows[i]!;
    let s = 0;
    for (let p = 0; p < indices.length; p++) s += values[p]! * centroids[c * features + indices[p]!]!;
    return s;
  };
  const rowNorm = rows.map((r) => r.values.reduce((s, v) => s + v * v, 0));
  let best: { inertia: number; assignments: Int32Array } | null = null;
  for (let restart = 0; restart < RESTARTS; restart++) {
    const centroids = new Float64Array(k * features);
    const centroidNorm = new Float64Array(k);
    const place = (c: number, i: number) => {
      centroids.fill(0, c * features, (c + 1) * features);
      const { indices, values } = rows[i]!;
      for (let p = 0; p < indices.length; p++) centroids[c * features + indices[p]!] = values[p]!;
      centroidNorm[c] = rowNorm[i]!;
    };
    place(0, Math.floor(random() * n));
    const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    for (let c = 1; c < k; c++) {
      let total = 0;
      for (let i = 0; i < n; i++) {
        const d = Math.max(0, rowNorm[i]! + centroidNorm[c - 1]! - 2 * dotRow(i, centroids, c - 1));
        if (d < nearest[i]!) nearest[i] = d;
        total += nearest[i]!;
      }
      let target = random() * total;
      let pick = 0;
      for (; pick < n - 1; pick++) {
        target -= nearest[pick]!;
        if (target <= 0) break;
      }
      place(c, pick);
    }
    const assignments = new Int32Array(n).fill(-1);
    let inertia = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let changed = 0;
      inertia = 0;
      for (let i = 0; i < n; i++) {
        let bestC = 0;
        let bestD = Number.POSITIVE_INFINITY;
        for (let c = 0; c < k; c++) {
          const d = rowNorm[i]! + centroidNorm[c]! - 2 * dotRow(i, centroids, c);
          if (d < bestD) {
            bestD = d;
            bestC = c;
          }
        }
        inertia += Math.max(0, bestD);
        if (assignments[i] !== bestC) {
          assignments[i] = bestC;
          changed++;
        }
      }
      if (changed === 0) break;
      centroids.fill(0);
      const sizes = new Int32Array(k);
      for (let i = 0; i < n; i++) {
        const c = assignments[i]!;
        sizes[c]!++;
        const { indices, values } = rows[i]!;
        for (let p = 0; p < indices.length; p++) centroids[c * features + indices[p]!]! += values[p]!;
      }
      for (let c = 0; c < k; c++) {
        if (sizes[c] === 0) {
          place(c, Math.floor(random() * n)); // an emptied cluster restarts at a random row
          continue;
        }
        let norm = 0;
        for (let f = 0; f < features; f++) {
          const v = centroids[c * features + f]! / sizes[c]!;
          centroids[c * features + f] = v;
          norm += v * v;
        }
        centroidNorm[c] = norm;
      }
    }
    if (!best || inertia < best.inertia) best = { inertia, assignments };
  }
  return best!.assignments;
}

async function loadSets(): Promise<LabelledSet[]> {
  const sets: LabelledSet[] = [];
  const dataDir = fileURLToPath(new URL('../../shared/data/', import.meta.url));
  if (existsSync(dataDir)) {
    for (const name of readdirSync(dataDir).sort()) {
      const path = `${dataDir}${name}/test.csv`;
      if (!existsSync(path)) continue;
      const rows = await readLabeledFile(path, { textColumn: 'text', labelColumn: 'category' });
      const texts = rows.map((r) => r.text);
      const header = readFileSync(path, 'utf8').split('\n', 1)[0]!.split(',');
      const languages = header.includes('language')
        ? (await readLabeledFile(path, { textColumn: 'text', labelColumn: 'language' })).map((r) => r.labels[0]!)
        : null;
      sets.push({
        name,
        texts,
        classes: rows.map((r) => r.labels[0]!),
        languages:
          languages ?? (await detectLanguages(texts.map((text) => ({ text, locale: null })))).map((d) => d.language),
        languageSource: languages ? 'column' : 'detected',
      });
    }
  }
  const demoDir = fileURLToPath(new URL('../demo/feedback/', import.meta.url));
  if (existsSync(demoDir)) {
    // Comments have `text`; tickets `subject` and `body`, which the product classifies together. Labelled examples
    // may span examples.jsonl and examples.<part>.jsonl.
    const rows = readdirSync(demoDir)
      .filter((file) => /^examples(\..+)?\.jsonl$/.test(file))
      .sort()
      .flatMap((file) =>
        readFileSync(`${demoDir}${file}`, 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map(
            (line) =>
              JSON.parse(line) as { text?: string; subject?: string; body?: string; locale?: string; labels: string[] },
          ),
      );
    const texts = rows.map((r) => r.text ?? `${r.subject ?? ''}\n${r.body ?? ''}`.trim());
    const detected = await detectLanguages(rows.map((r, i) => ({ text: texts[i]!, locale: r.locale ?? null })));
    sets.push({
      name: 'demo',
      texts,
      classes: rows.map((r) => r.labels[0]!),
      languages: detected.map((d) => d.language),
      languageSource: 'detected',
    });
  }
  return sets;
}

function timed<T>(run: () => T): [T, number] {
  const started = performance.now();
  const result = run();
  return [result, (performance.now() - started) / 1000];
}

const fmt = (x: number) => x.toFixed(3);
const pick = <T>(list: ArrayLike<T>, indices: readonly number[]): T[] => indices.map((i) => list[i]!);

function kMeansBaseline(texts: readonly string[], k: number): Int32Array {
  const { rows, features } = wordUnigramTfIdf(texts);
  return lloydKMeans(rows, features, Math.min(k, texts.length), SEED);
}

/** Runs the benchmark; returns its summary line. */
export async function main(): Promise<string> {
  const load = (await import('node:os')).loadavg().map((l) => l.toFixed(2));
  console.log(`load average at start: ${load.join(' ')} (2 shared cores: timings are noisy)`);
  const sets = await loadSets();
  if (sets.length === 0) return 'themes: skipped (no labelled set found)';
  const summary: string[] = [];
  console.log(
    'set / language        texts   k | ours@k NMI purity     s | ours@auto  k  NMI purity     s | k-means NMI purity     s',
  );
  for (const set of sets) {
    const k = new Set(set.classes).size;
    // The number of classes present in each language: "true k" per language.
    const kOf = new Map<string, number>();
    for (const language of new Set(set.languages)) {
      kOf.set(language, new Set(set.classes.filter((_, i) => set.languages[i] === language)).size);
    }
    const [atK, oursSeconds] = timed(() =>
      clusterTextsByLanguage(set.texts, set.languages, { seed: SEED, kOf, restarts: RESTARTS }),
    );
    const [auto, autoSeconds] = timed(() =>
      clusterTextsByLanguage(set.texts, set.languages, { seed: SEED, kMax: Math.max(40, 2 * k), restarts: RESTARTS }),
    );
    const [baseline, baselineSeconds] = timed(() => kMeansBaseline(set.texts, k));
    const score = (classes: readonly string[], a: ArrayLike<number>) => [
      normalizedMutualInformation(classes, a),
      purity(classes, a),
    ];
    const [oNmi, oPur] = score(set.classes, atK.assignments);
    const [aNmi, aPur] = score(set.classes, auto.assignments);
    const [bNmi, bPur] = score(set.classes, baseline);
    const languages = atK.perLanguage.map((l) => `${l.language} ${l.indices.length}`).join(', ');
    console.log(
      `${`${set.name} (pooled)`.padEnd(20)} ${String(set.texts.length).padStart(5)} ${String(k).padStart(3)} | ` +
        `${fmt(oNmi!)} ${fmt(oPur!)} ${oursSeconds.toFixed(1).padStart(5)} | ` +
        `k=${String(auto.k).padStart(3)} ${fmt(aNmi!)} ${fmt(aPur!)} ${autoSeconds.toFixed(1).padStart(5)} | ` +
        `${fmt(bNmi!)} ${fmt(bPur!)} ${baselineSeconds.toFixed(1).padStart(5)}   ` +
        `[languages ${set.languageSource}: ${languages}; ${atK.tooFew} texts in languages too small to cluster]`,
    );
    const perLanguage: string[] = [];
    if (atK.perLanguage.length > 1) {
      for (const part of atK.perLanguage) {
        if (!part.clustered) continue;
        const classes = pick(set.classes, part.indices);
        const autoPart = auto.perLanguage.find((p) => p.language === part.language)!;
        const [baselinePart, partSeconds] = timed(() => kMeansBaseline(pick(set.texts, part.indices), part.k));
        const [lo, lp] = score(classes, part.assignments);
        const [la, lap] = score(classes, autoPart.assignments);
        const [lb, lbp] = score(classes, baselinePart);
        console.log(
          `${`  ${part.language}`.padEnd(20)} ${String(part.indices.length).padStart(5)} ${String(part.k).padStart(3)} | ` +
            `${fmt(lo!)} ${fmt(lp!)}       | k=${String(autoPart.k).padStart(3)} ${fmt(la!)} ${fmt(lap!)}       | ` +
            `${fmt(lb!)} ${fmt(lbp!)} ${partSeconds.toFixed(1).padStart(5)}`,
        );
        perLanguage.push(`${part.language} ${fmt(lo!)}/${fmt(lb!)}`);
      }
    }
    summary.push(
      `${set.name}: NMI ours ${fmt(oNmi!)} vs k-means ${fmt(bNmi!)} (auto k=${auto.k} of ${k}: ${fmt(aNmi!)})` +
        (perLanguage.length > 0 ? ` [per language ours/k-means: ${perLanguage.join(', ')}]` : ''),
    );
  }

  const trainPath = fileURLToPath(new URL('../../shared/data/banking77/train.csv', import.meta.url));
  if (existsSync(trainPath)) {
    const rows = (await readLabeledFile(trainPath, { textColumn: 'text', labelColumn: 'category' })).slice(0, 5000);
    const now = new Date();
    const detected = await detectLanguages(rows.map((r) => ({ text: r.text, locale: 'en' })));
    const texts = rows.map((r, i) => ({
      id: i + 1,
      text: r.text,
      locale: 'en',
      language: detected[i]!.language,
      createdAt: now,
    }));
    const [result, seconds] = timed(() => discoverThemes({ texts, now }, { seed: SEED }));
    console.log(
      `discoverThemes on ${texts.length} texts (defaults, k by silhouette in 2…40 per language): ${seconds.toFixed(1)} s, ` +
        `k=${result.k}, ${result.proposals.length} proposals, ${result.noise} texts as noise, ${result.tooFew} in ` +
        `languages too small to cluster (${result.languages.map((l) => `${l.language} ${l.texts}`).join(', ')})`,
    );
    summary.push(`discover 5,000 texts: ${seconds.toFixed(1)} s`);
  }
  console.log(
    `load average at end: ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  return `themes: ${summary.join('; ')}`;
}
