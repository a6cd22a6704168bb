/**
 * The language of a feedback text, told from the text itself, with the page's locale as a prior.
 *
 * Detection is the `eld` library (Efficient Language Detector: n-gram tables for 60 languages shipped inside the npm
 * package, nothing downloaded). We load its "small" table (1.6 MB, ~0.7 s and ~150 MB once per process, lazily on
 * first use): on the demo's 488 hand-written texts in six languages the extra-small, small and medium tables all
 * scored 100 %, but the extra-small one misread short texts ("can't log in" as Dutch, "app crash" as German).
 *
 * Short texts are where any detector fails ("reset password" comes out Italian, "два раза списали" Bulgarian). A
 * reader writes on a page in some locale, and usually in its language, so that locale is a prior: it wins when the
 * text is too short to tell, or when its score is close to the best. A text in another language than its page (a
 * German reader on the English site) still comes out as itself when it is long enough.
 */
/** No language could be told: empty, only digits or symbols, and no locale to fall back on. */
export const UNDETERMINED = 'und';

/** Below this many letters the text alone decides nothing when the page's locale is known. */
const MIN_LETTERS_ALONE = 12;
/** The page's language wins when its score is at least this share of the best score. */
const HINT_SHARE = 0.85;

export interface DetectedLanguage {
  /** ISO 639-1 code, or 'und'. */
  language: string;
  /** 'text' when the text decided, 'hint' when the page's locale did, 'none' when neither could. */
  source: 'text' | 'hint' | 'none';
}

interface EldResult {
  language: string;
  getScores: () => Record<string, number>;
  isReliable: () => boolean;
}
interface Eld {
  detect: (text: string) => EldResult;
}

let loading: Promise<Eld> | null = null;
let detector: Eld | null = null;

/** Loads the detector's tables once per process (about 0.7 s); later calls resolve at once. */
export function loadLanguageDetector(): Promise<Eld> {
  loading ??= import('eld/small').then((module) => {
    detector = module.eld as Eld;
    return detector;
  });
  return loading;
}

const LETTER = /\p{L}/gu;

/** 'pt-BR' → 'pt', 'ZH_hant' → 'zh': the language part of a locale tag, lowercase; null when it is not one. */
export function languageOfLocale(locale: string): string | null {
  const language = locale.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return /^[a-z]{2,3}$/.test(language) ? language : null;
}

/** Detects one text's language; the detector must be loaded (see detectLanguages for the async form). */
export function detectLanguageLoaded(eld: Eld, text: string, locale: string | null | undefined): DetectedLanguage {
  const hint = locale ? languageOfLocale(locale) : null;
  const sample = text.slice(0, 2000);
  const letters = sample.match(LETTER)?.length ?? 0;
  if (letters === 0) return hint ? { language: hint, source: 'hint' } : { language: UNDETERMINED, source: 'none' };
  const result = eld.detect(sample);
  if (hint && letters < MIN_LETTERS_ALONE) return { language: hint, source: 'hint' };
  const scores = result.getScores();
  let best = 0;
  for (const score of Object.values(scores)) if (score > best) best = score;
  if (hint && (scores[hint] ?? 0) >= HINT_SHARE * best) return { language: hint, source: 'hint' };
  if (result.language && (result.isReliable() || !hint)) return { language: result.language, source: 'text' };
  return hint ? { language: hint, source: 'hint' } : { language: UNDETERMINED, source: 'none' };
}

/** Detects the language of each text, with its page's locale (or null) as the prior. */
export async function detectLanguages(
  inputs: readonly { text: string; locale: string | null | undefined }[],
): Promise<DetectedLanguage[]> {
  const eld = detector ?? (await loadLanguageDetector());
  return inputs.map((input) => detectLanguageLoaded(eld, input.text, input.locale));
}
