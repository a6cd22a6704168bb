import { diffLines, diffWordsWithSpace } from 'diff';

export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

function toParts(changes: { value: string; added: boolean; removed: boolean }[]): DiffPart[] {
  const parts: DiffPart[] = [];
  for (const change of changes) {
    const op = change.added ? 'insert' : change.removed ? 'delete' : 'equal';
    const last = parts[parts.length - 1];
    // jsdiff may split one run in several changes of the same kind; one part per run reads better.
    if (last && last.op === op) last.text += change.value;
    else if (change.value.length > 0) parts.push({ op, text: change.value });
  }
  return parts;
}

/**
 * A line diff of two Markdown bodies. Bodies are at most 200,000 characters (LIMITS.articleBody); jsdiff's Myers
 * diff is O((n+m)·d), and `timeout` bounds a pathological pair: it then answers the whole old text deleted and the
 * new one inserted, which is still a correct (if coarse) diff.
 */
export function diffBodies(before: string, after: string): DiffPart[] {
  const changes = diffLines(before, after, { timeout: 2_000 });
  if (!changes) return coarse(before, after);
  return toParts(changes);
}

/** A word diff of two titles (spaces kept, so joining the parts gives the texts back). */
export function diffTitles(before: string, after: string): DiffPart[] {
  return toParts(diffWordsWithSpace(before, after));
}

function coarse(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = [];
  if (before) parts.push({ op: 'delete', text: before });
  if (after) parts.push({ op: 'insert', text: after });
  return parts;
}
