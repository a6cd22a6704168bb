/**
 * Groups short texts (search queries, ticket subjects) that ask the same thing: "cancel subscription", "cancelling my
 * subscription" and "how to cancel subscription" are one content gap. Written by hand because it is the product's
 * own: cosine similarity on TF-IDF-weighted token sets (the analyser's stems, so inflections meet), leader
 * clustering over the items in a fixed order (heaviest first), and the medoid as the cluster's phrase. Pure and
 * deterministic: the input's order never changes the result. Tested in cluster-phrases.test.ts.
 */

export interface PhraseItem {
  /** What a person typed (shown as the representative and in examples). */
  text: string;
  /** Its analysed tokens (stems, stop words removed); an item without tokens clusters only with its own text. */
  tokens: readonly string[];
  /** How many times it was asked (searches, tickets). */
  weight: number;
  /** Items of different locales never cluster together. */
  locale: string;
}

export interface PhraseCluster<T extends PhraseItem> {
  /** The medoid: the member with the highest weighted similarity to all members (itself included). */
  representative: T;
  /** The sum of the members' weights. */
  volume: number;
  locale: string;
  /** Heaviest first. */
  members: T[];
}

export interface ClusterOptions {
  /** Cosine similarity an item needs to a cluster's leader to join it (0..1]. */
  threshold?: number;
  /** Members the medoid is chosen among (the heaviest); the rest still count in the volume. */
  medoidCandidates?: number;
}

/** Cosine similarity a query needs to join a cluster: one shared word of two ("cancel order"/"cancel plan") is not enough. */
export const DEFAULT_CLUSTER_THRESHOLD = 0.6;

type Vector = Map<string, number>;

function compareItems(a: PhraseItem, b: PhraseItem): number {
  return (
    b.weight - a.weight ||
    (a.text < b.text ? -1 : a.text > b.text ? 1 : 0) ||
    (a.locale < b.locale ? -1 : a.locale > b.locale ? 1 : 0) ||
    compareTokens(a.tokens, b.tokens)
  );
}

function compareTokens(a: readonly string[], b: readonly string[]): number {
  const x = a.join('\u0000');
  const y = b.join('\u0000');
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Unit-length TF-IDF vector of a token set (binary term frequency: a short text repeats a word by accident). */
function vectorOf(tokens: readonly string[], idf: (token: string) => number): Vector {
  const vector: Vector = new Map();
  for (const token of new Set(tokens)) vector.set(token, idf(token));
  let norm = 0;
  for (const w of vector.values()) norm += w * w;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [token, w] of vector) vector.set(token, w / norm);
  return vector;
}

function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [token, w] of small) dot += w * (large.get(token) ?? 0);
  return dot;
}

/** Clusters phrases; clusters heaviest first (then by representative text). */
export function clusterPhrases<T extends PhraseItem>(
  items: readonly T[],
  options: ClusterOptions = {},
): PhraseCluster<T>[] {
  const threshold = options.threshold ?? DEFAULT_CLUSTER_THRESHOLD;
  const medoidCandidates = options.medoidCandidates ?? 200;
  // An item without tokens is keyed by its own text, so identical ones still meet.
  const tokensOf = (item: PhraseItem) => (item.tokens.length > 0 ? item.tokens : [`\u0000${item.text}`]);

  // Inverse document frequency per locale: a word in every query ("how") says less than a rare one ("refund").
  const documents = new Map<string, number>();
  const frequency = new Map<string, number>();
  for (const item of items) {
    documents.set(item.locale, (documents.get(item.locale) ?? 0) + 1);
    for (const token of new Set(tokensOf(item))) {
      const key = `${item.locale}\u0000${token}`;
      frequency.set(key, (frequency.get(key) ?? 0) + 1);
    }
  }
  const idf = (locale: string, token: string) =>
    Math.log((1 + (documents.get(locale) ?? 1)) / (1 + (frequency.get(`${locale}\u0000${token}`) ?? 0))) + 1;

  const sorted = [...items].sort(compareItems);
  const vectors = new Map<T, Vector>();
  for (const item of sorted)
    vectors.set(
      item,
      vectorOf(tokensOf(item), (token) => idf(item.locale, token)),
    );

  interface Building {
    leader: Vector;
    locale: string;
    members: T[];
  }
  const clusters: Building[] = [];
  // token → clusters whose leader has it: an item is compared only with leaders it shares a word with.
  const byToken = new Map<string, number[]>();
  for (const item of sorted) {
    const vector = vectors.get(item) as Vector;
    let best = -1;
    let bestSimilarity = Number.NEGATIVE_INFINITY;
    const seen = new Set<number>();
    for (const token of vector.keys()) {
      for (const index of byToken.get(`${item.locale}\u0000${token}`) ?? []) {
        if (seen.has(index)) continue;
        seen.add(index);
        const similarity = cosine(vector, (clusters[index] as Building).leader);
        if (similarity < threshold - 1e-12) continue;
        // Ties go to the older (heavier) cluster: the order leaders are met in varies, their index does not.
        if (similarity > bestSimilarity + 1e-12 || (Math.abs(similarity - bestSimilarity) <= 1e-12 && index < best)) {
          best = index;
          bestSimilarity = similarity;
        }
      }
    }
    if (best >= 0) {
      (clusters[best] as Building).members.push(item);
      continue;
    }
    clusters.push({ leader: vector, locale: item.locale, members: [item] });
    for (const token of vector.keys()) {
      const key = `${item.locale}\u0000${token}`;
      const list = byToken.get(key);
      if (list) list.push(clusters.length - 1);
      else byToken.set(key, [clusters.length - 1]);
    }
  }

  const out = clusters.map((cluster): PhraseCluster<T> => {
    const candidates = cluster.members.slice(0, medoidCandidates);
    let representative = candidates[0] as T;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const candidate of candidates) {
      const vector = vectors.get(candidate) as Vector;
      // Its own weight counts too (similarity 1): a phrase asked ten times is ten members that agree with it.
      let score = 0;
      for (const other of candidates) score += other.weight * cosine(vector, vectors.get(other) as Vector);
      // Members are sorted heaviest first: on a tie the heavier (then alphabetically first) one stays.
      if (score > bestScore + 1e-9) {
        bestScore = score;
        representative = candidate;
      }
    }
    return {
      representative,
      volume: cluster.members.reduce((sum, m) => sum + m.weight, 0),
      locale: cluster.locale,
      members: cluster.members,
    };
  });
  return out.sort((a, b) => b.volume - a.volume || compareItems(a.representative, b.representative));
}
