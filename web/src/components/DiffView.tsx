import type { ReactNode } from 'react';
import type { DiffPart } from '../api/contract.js';

/** A labelled, scrolling block of text that a keyboard can focus and scroll (axe: scrollable-region-focusable). */
export function ScrollRegion(props: { label: string; dir?: 'ltr' | 'rtl'; lang?: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region takes focus so a keyboard can scroll it
    <section className="al-diff" aria-label={props.label} dir={props.dir} lang={props.lang} tabIndex={0}>
      {props.children}
    </section>
  );
}

/** Splits line-diff parts into lines, each marked inserted, deleted or unchanged. */
function lines(parts: DiffPart[]): { op: DiffPart['op']; text: string }[] {
  const out: { op: DiffPart['op']; text: string }[] = [];
  for (const part of parts) {
    const text = part.text.endsWith('\n') ? part.text.slice(0, -1) : part.text;
    for (const line of text.split('\n')) out.push({ op: part.op, text: line });
  }
  return out;
}

/**
 * A line diff of Markdown: insertions and deletions marked by colour AND by a +/− sign and strike-through (never
 * colour alone); long unchanged stretches are folded to their first and last lines.
 */
export function LineDiff({ parts, label, dir }: { parts: DiffPart[]; label: string; dir?: 'ltr' | 'rtl' }) {
  const all = lines(parts);
  const shown: ({ op: DiffPart['op']; text: string } | { fold: number })[] = [];
  for (let i = 0; i < all.length; ) {
    if (all[i]!.op !== 'equal') {
      shown.push(all[i]!);
      i++;
      continue;
    }
    let j = i;
    while (j < all.length && all[j]!.op === 'equal') j++;
    const run = all.slice(i, j);
    if (run.length > 6) {
      shown.push(...run.slice(0, i === 0 ? 0 : 2), { fold: run.length - (i === 0 ? 2 : 4) }, ...run.slice(-2));
    } else shown.push(...run);
    i = j;
  }
  return (
    <ScrollRegion label={label} dir={dir}>
      <pre className="al-diff-pre">
        {shown.map((line, index) =>
          'fold' in line ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines of a static diff
            <span key={index} className="al-diff-line al-diff-fold">
              ⋯ {line.fold}
            </span>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines of a static diff
            <span key={index} className={`al-diff-line al-diff-${line.op}`}>
              {line.op === 'insert' ? <span className="al-visually-hidden">+ </span> : null}
              {line.op === 'delete' ? <span className="al-visually-hidden">− </span> : null}
              {line.text || '\u00a0'}
            </span>
          ),
        )}
      </pre>
    </ScrollRegion>
  );
}

/** A word diff of a title, inline with <ins>/<del>. */
export function InlineDiff({ parts, dir }: { parts: DiffPart[]; dir?: 'ltr' | 'rtl' }) {
  return (
    <span className="al-diff-inline" dir={dir}>
      {parts.map((part, index) =>
        part.op === 'insert' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of a static diff
          <ins key={index}>{part.text}</ins>
        ) : part.op === 'delete' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of a static diff
          <del key={index}>{part.text}</del>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of a static diff
          <span key={index}>{part.text}</span>
        ),
      )}
    </span>
  );
}
