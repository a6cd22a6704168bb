import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzerFor, foldText, hebrewSkeleton, typoBudget } from './analyze-text.js';

const words = (locale: string, text: string) =>
  analyzerFor(locale)
    .analyze(text)
    .map((w) => w.word);
const stems = (locale: string, text: string) =>
  analyzerFor(locale)
    .analyze(text)
    .filter((w) => !w.stop)
    .map((w) => w.stem);

describe('foldText', () => {
  it.each([
    ['Café CRÈME', 'cafe creme'],
    ['Contraseña', 'contrasena'],
    ['ЁЛКА', 'елка'],
    ['ＡＢＣ１２３', 'abc123'],
    ['can’t', 'cant'],
    ['كَلِمَةُ المُرُورِ', 'كلمه المرور'],
    ['أحمد إلى آخر', 'احمد الي اخر'],
    ['مـــرور', 'مرور'],
    ['שָׁלוֹם', 'שלום'],
    ['ガイド', 'ガイド'],
  ])('folds %j to %j', (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it('keeps the marks that make a different letter (й, Japanese dakuten)', () => {
    expect(foldText('йод')).toBe('йод');
    expect(foldText('が')).toBe('が');
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(foldText(foldText(text))).toBe(foldText(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('analyzer', () => {
  it('segments Japanese without spaces', () => {
    expect(words('ja', 'パスワードをリセット')).toEqual(['パスワード', 'を', 'リセット']);
  });

  it('stems English, Spanish, Russian and Arabic so word forms meet', () => {
    expect(stems('en', 'passwords')).toEqual(stems('en', 'password'));
    expect(stems('en', 'deleting boards')).toEqual(stems('en', 'delete board'));
    expect(stems('es', 'tableros')).toEqual(stems('es', 'tablero'));
    expect(stems('ru', 'доски')).toEqual(stems('ru', 'доску'));
    expect(stems('ru', 'удалить')).toEqual(stems('ru', 'удалите'));
    expect(stems('ar', 'الحساب')).toEqual(stems('ar', 'حسابي'));
    expect(stems('ar', 'كلمة')).toEqual(stems('ar', 'كلمه'));
  });

  it('indexes Spanish words with and without accents under a shared term', () => {
    const accented = analyzerFor('es').analyze('eliminación')[0]!;
    const plain = analyzerFor('es').analyze('eliminacion')[0]!;
    expect(accented.terms.some((t) => plain.terms.includes(t))).toBe(true);
    expect(accented.display).toBe('eliminación');
  });

  it('strips Hebrew prefix letters as extra terms', () => {
    const [word] = analyzerFor('he').analyze('והסיסמה');
    expect(word!.terms).toEqual(expect.arrayContaining(['והסיסמה', 'הסיסמה', 'סיסמה']));
  });

  it('gives inflections of one Hebrew root a shared skeleton', () => {
    expect(hebrewSkeleton('פתוח')).toBe('פתח');
    expect(hebrewSkeleton('פתיחת')).toBe('פתח');
    expect(hebrewSkeleton('הזמין')).toBe(hebrewSkeleton('הזמנת'));
    expect(hebrewSkeleton('לוח')).toBeUndefined();
    const [invite] = analyzerFor('he').analyze('להזמין');
    const [invitation] = analyzerFor('he').analyze('הזמנת');
    expect(invite!.terms.some((t) => invitation!.terms.includes(t))).toBe(true);
  });

  it('flags stop words per locale but keeps domain words', () => {
    const es = analyzerFor('es').analyze('como borrar mi cuenta');
    expect(es.filter((w) => w.stop).map((w) => w.word)).toEqual(['como', 'mi']);
    expect(analyzerFor('en').analyze('how to reset')[0]!.stop).toBe(true);
  });
});

describe('word boundaries', () => {
  it('match Intl.Segmenter on spaced scripts (the fast path) for help-center text', () => {
    const texts = [
      "Can't log in? Tap Forgot password, then check e-mail at jane.doe@example.com (within 1 hour).",
      'Откройте «Настройки» > «Безопасность» и нажмите Сохранить.',
      'افتح الرابط خلال ساعة واحدة، وأدخل كلمة مرور جديدة مرتين.',
      'אפשר לבחור בעזרת מקשי החיצים — למעלה ולמטה.',
      '¿Olvidaste tu contraseña? Tócala 2 veces: ¡listo!',
    ];
    for (const text of texts) {
      const viaSegmenter = [...new Intl.Segmenter('en', { granularity: 'word' }).segment(text.normalize('NFKC'))]
        .filter((s) => s.isWordLike)
        .map((s) => foldText(s.segment));
      expect(words('en', text)).toEqual(viaSegmenter);
    }
  });
});

describe('typoBudget', () => {
  it.each([
    ['pin', 0],
    ['pins', 1],
    ['passwrd', 1],
    ['password', 2],
    ['パスワード', 0],
  ])('%j allows %i typos', (word, typos) => {
    expect(typoBudget(word)).toBe(typos);
  });
});
