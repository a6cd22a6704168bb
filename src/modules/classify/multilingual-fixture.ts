/**
 * Synthetic labeled feedback in English, Spanish, Russian, Arabic and Japanese for the classifier's tests: five
 * subcategories under three categories, phrased two ways per language and padded with seeded filler words.
 * Test-only; not exported from the module.
 */
import type { LabeledExample } from './classify.schema.js';
import { createRandom } from './seeded-random.js';

export const FIXTURE_PARENT_OF: Record<string, string> = {
  'billing.refund': 'billing',
  'billing.double-charge': 'billing',
  'account.password': 'account',
  'account.delete': 'account',
  'ads.budget': 'ads',
};

export type Language = 'en' | 'es' | 'ru' | 'ar' | 'ja';

/** A fixture example, with the language it is written in. */
export type FixtureExample = LabeledExample & { language: Language };

export const PHRASES: Record<string, Record<Language, string[]>> = {
  'billing.refund': {
    en: ['I want a refund for my order', 'how do I get my money back'],
    es: ['quiero un reembolso de mi pedido', 'cómo recupero mi dinero'],
    ru: ['хочу вернуть деньги за заказ', 'как получить возврат денег'],
    ar: ['أريد استرداد أموالي', 'كيف أسترد المبلغ'],
    ja: ['返金してください', '注文の返金をお願いします'],
  },
  'billing.double-charge': {
    en: ['I was charged twice', 'there is a double charge on my card'],
    es: ['me cobraron dos veces', 'hay un cargo duplicado en mi tarjeta'],
    ru: ['с меня списали оплату дважды', 'двойное списание с карты'],
    ar: ['تم خصم المبلغ مرتين', 'خصم مزدوج من بطاقتي'],
    ja: ['二重に請求されました', 'カードに二回請求があります'],
  },
  'account.password': {
    en: ['I forgot my password', 'how can I reset my password'],
    es: ['olvidé mi contraseña', 'cómo restablezco la contraseña'],
    ru: ['я забыл пароль', 'как сбросить пароль'],
    ar: ['نسيت كلمة المرور', 'كيف أعيد تعيين كلمة المرور'],
    ja: ['パスワードを忘れました', 'パスワードをリセットしたい'],
  },
  'account.delete': {
    en: ['please delete my account', 'how do I close my account forever'],
    es: ['quiero eliminar mi cuenta', 'cómo cierro mi cuenta para siempre'],
    ru: ['удалите мой аккаунт', 'как закрыть учетную запись навсегда'],
    ar: ['احذف حسابي من فضلك', 'أريد إغلاق حسابي نهائيا'],
    ja: ['アカウントを削除したい', '退会する方法を教えて'],
  },
  'ads.budget': {
    en: ['how do I set a daily budget for my ads', 'increase the budget of my campaign'],
    es: ['cómo pongo un presupuesto diario para mis anuncios', 'aumentar el presupuesto de mi campaña'],
    ru: ['как установить дневной бюджет рекламы', 'увеличить бюджет кампании'],
    ar: ['كيف أحدد ميزانية يومية للإعلانات', 'زيادة ميزانية حملتي'],
    ja: ['広告の予算を設定したい', 'キャンペーンの予算を増やしたい'],
  },
};

const FILLERS: Record<Language, string[]> = {
  en: ['hello', 'hi there', 'please help', 'thanks', 'urgent', 'as soon as possible', 'today', 'again'],
  es: ['hola', 'buenos días', 'por favor', 'gracias', 'urgente', 'lo antes posible', 'hoy', 'otra vez'],
  ru: ['здравствуйте', 'привет', 'пожалуйста', 'спасибо', 'срочно', 'как можно скорее', 'сегодня', 'снова'],
  ar: ['مرحبا', 'السلام عليكم', 'من فضلك', 'شكرا', 'عاجل', 'في أسرع وقت', 'اليوم', 'مرة أخرى'],
  ja: ['こんにちは', 'すみません', 'お願いします', 'ありがとう', '至急', 'できるだけ早く', '今日', 'また'],
};

export const LANGUAGES: readonly Language[] = ['en', 'es', 'ru', 'ar', 'ja'];

/** Builds `variants` examples per (label, language, phrase), each with a random filler before and after. */
export function buildMultilingualExamples(variants: number, seed: number): FixtureExample[] {
  const random = createRandom(seed);
  const pick = (items: readonly string[]) => items[Math.floor(random() * items.length)]!;
  const examples: FixtureExample[] = [];
  for (const [label, byLanguage] of Object.entries(PHRASES)) {
    for (const language of LANGUAGES) {
      for (const phrase of byLanguage[language]) {
        for (let v = 0; v < variants; v++) {
          const text = `${pick(FILLERS[language])} ${phrase} ${pick(FILLERS[language])}`;
          examples.push({ text, labels: [label], language });
        }
      }
    }
  }
  return examples;
}

const AND_ALSO: Record<Language, string> = { en: 'and also', es: 'y también', ru: 'и ещё', ar: 'وأيضا', ja: 'それと' };

/** Pairs of labels that multi-label examples combine. */
export const LABEL_PAIRS: readonly [string, string][] = [
  ['billing.refund', 'account.password'],
  ['billing.double-charge', 'ads.budget'],
];

/** Builds texts that ask two things at once ("A and also B"), labeled with both. */
export function buildMultiLabelExamples(variants: number, seed: number): FixtureExample[] {
  const random = createRandom(seed);
  const pick = (items: readonly string[]) => items[Math.floor(random() * items.length)]!;
  const examples: FixtureExample[] = [];
  for (const [first, second] of LABEL_PAIRS) {
    for (const language of LANGUAGES) {
      for (let v = 0; v < variants; v++) {
        const text = `${pick(PHRASES[first]![language])} ${AND_ALSO[language]} ${pick(PHRASES[second]![language])}`;
        examples.push({ text, labels: v % 2 === 0 ? [first, second] : [second, first], language });
      }
    }
  }
  return examples;
}
