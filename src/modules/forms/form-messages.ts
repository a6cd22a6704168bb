import type { AnswerProblem } from './form-logic.js';

/**
 * What is wrong with an answer, in the reader's language: the API's refusal details and the page's inline errors
 * say the same sentence. Shared with the browser island (no imports but types).
 */
type Catalog = {
  required: string;
  tooLong: string;
  invalidEmail: string;
  invalidOption: string;
  invalidNumber: string;
  tooSmall: string;
  tooLarge: string;
  invalidDate: string;
  fileTooLarge: string;
  fileType: string;
};

const MESSAGES: Record<string, Catalog> = {
  en: {
    required: 'Please answer this question.',
    tooLong: 'Please shorten this to {max} characters or fewer.',
    invalidEmail: 'Please enter an email address such as name@example.com.',
    invalidOption: 'Please choose one of the options.',
    invalidNumber: 'Please enter a number.',
    tooSmall: 'Please enter {min} or more.',
    tooLarge: 'Please enter {max} or less.',
    invalidDate: 'Please enter a date (year-month-day).',
    fileTooLarge: 'This file is too large: at most {size}.',
    fileType: 'This kind of file is not accepted here.',
  },
  es: {
    required: 'Responde a esta pregunta.',
    tooLong: 'Acórtalo a {max} caracteres como máximo.',
    invalidEmail: 'Escribe una dirección de correo como nombre@ejemplo.com.',
    invalidOption: 'Elige una de las opciones.',
    invalidNumber: 'Escribe un número.',
    tooSmall: 'Escribe {min} o más.',
    tooLarge: 'Escribe {max} o menos.',
    invalidDate: 'Escribe una fecha (año-mes-día).',
    fileTooLarge: 'El archivo es demasiado grande: {size} como máximo.',
    fileType: 'Aquí no se admite este tipo de archivo.',
  },
  ar: {
    required: 'يُرجى الإجابة عن هذا السؤال.',
    tooLong: 'يُرجى اختصار النص إلى {max} حرفًا أو أقل.',
    invalidEmail: 'يُرجى إدخال بريد إلكتروني مثل name@example.com.',
    invalidOption: 'يُرجى اختيار أحد الخيارات.',
    invalidNumber: 'يُرجى إدخال رقم.',
    tooSmall: 'يُرجى إدخال {min} أو أكثر.',
    tooLarge: 'يُرجى إدخال {max} أو أقل.',
    invalidDate: 'يُرجى إدخال تاريخ (سنة-شهر-يوم).',
    fileTooLarge: 'الملف كبير جدًا: الحد الأقصى {size}.',
    fileType: 'هذا النوع من الملفات غير مقبول هنا.',
  },
  he: {
    required: 'נא לענות על השאלה הזו.',
    tooLong: 'נא לקצר ל-{max} תווים לכל היותר.',
    invalidEmail: 'נא להזין כתובת דוא״ל כמו name@example.com.',
    invalidOption: 'נא לבחור באחת האפשרויות.',
    invalidNumber: 'נא להזין מספר.',
    tooSmall: 'נא להזין {min} או יותר.',
    tooLarge: 'נא להזין {max} או פחות.',
    invalidDate: 'נא להזין תאריך (שנה-חודש-יום).',
    fileTooLarge: 'הקובץ גדול מדי: עד {size}.',
    fileType: 'סוג קובץ זה אינו מתקבל כאן.',
  },
  ja: {
    required: 'この質問に回答してください。',
    tooLong: '{max} 文字以内にしてください。',
    invalidEmail: 'name@example.com のようなメールアドレスを入力してください。',
    invalidOption: '選択肢から選んでください。',
    invalidNumber: '数値を入力してください。',
    tooSmall: '{min} 以上を入力してください。',
    tooLarge: '{max} 以下を入力してください。',
    invalidDate: '日付（年-月-日）を入力してください。',
    fileTooLarge: 'ファイルが大きすぎます（上限 {size}）。',
    fileType: 'この種類のファイルは添付できません。',
  },
  ru: {
    required: 'Пожалуйста, ответьте на этот вопрос.',
    tooLong: 'Сократите текст до {max} символов.',
    invalidEmail: 'Введите адрес электронной почты, например name@example.com.',
    invalidOption: 'Выберите один из вариантов.',
    invalidNumber: 'Введите число.',
    tooSmall: 'Введите {min} или больше.',
    tooLarge: 'Введите {max} или меньше.',
    invalidDate: 'Введите дату (год-месяц-день).',
    fileTooLarge: 'Файл слишком большой: не более {size}.',
    fileType: 'Файлы этого типа здесь не принимаются.',
  },
};

/** The languages the messages exist in; others get the first of their fallbacks that has them, else English. */
export const MESSAGE_LANGUAGES = Object.keys(MESSAGES);

function catalogFor(locale: string, fallbacks: readonly string[]): Catalog {
  for (const code of [locale, ...fallbacks]) {
    const catalog = MESSAGES[code] ?? MESSAGES[code.split('-')[0] ?? ''];
    if (catalog) return catalog;
  }
  return MESSAGES.en as Catalog;
}

function formatBytes(bytes: number, locale: string): string {
  const mb = bytes / (1024 * 1024);
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return mb >= 1 ? `${number.format(mb)} MB` : `${number.format(Math.ceil(bytes / 1024))} KB`;
}

/** The sentence for one problem, in the reader's locale. */
export function problemMessage(problem: AnswerProblem, locale: string, fallbacks: readonly string[] = []): string {
  const template = catalogFor(locale, fallbacks)[problem.code];
  const number = new Intl.NumberFormat(locale);
  return template
    .replace('{max}', 'max' in problem ? number.format(problem.max) : '')
    .replace('{min}', 'min' in problem ? number.format(problem.min) : '')
    .replace('{size}', problem.code === 'fileTooLarge' ? formatBytes(problem.max, locale) : '');
}
