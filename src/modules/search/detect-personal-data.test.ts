import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  containsContactDetails,
  containsLink,
  containsPersonalData,
  redactPersonalData,
} from './detect-personal-data.js';
import { Blocklist, suggestionHazard } from './screen-suggestion.js';

describe('containsPersonalData', () => {
  it.each([
    'reset password for jane.doe@example.com',
    'order 4111 1111 1111 1111 refund',
    'call me +1 415-555-0199',
    'رقمي ٠٥٥١٢٣٤٥٦٧',
    'account １２３４５６７８',
    'code AbC123xyz9876 does not work',
    'see https://evil.example/x',
    'block @someone_here',
  ])('flags %j', (query) => {
    expect(containsPersonalData(query)).toBe(true);
  });

  it.each([
    'reset password',
    'как удалить доску',
    'تغيير كلمة المرور',
    '2fa code not arriving',
    'error 404',
    'pinwheel plus 2024',
    'パスワードを忘れた',
  ])('lets %j through', (query) => {
    expect(containsPersonalData(query)).toBe(false);
  });

  it('redacts every kind, keeping the rest of the words', () => {
    expect(redactPersonalData('hi jane@example.com my phone 555 123 4567 thanks')).toBe(
      'hi [email] my phone [number] thanks',
    );
  });

  it('never leaves an email or a long number after redaction (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.emailAddress(), fc.stringMatching(/^\d{7,12}$/), (text, email, number) => {
        const redacted = redactPersonalData(`${text} ${email} ${number} ${text}`);
        expect(redacted.includes(email)).toBe(false);
        expect(redacted.includes(number)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('containsLink (texts shown to other readers)', () => {
  it.each([
    'reset password at pinwheel-help.io now',
    'scamsite io',
    'reset password scamsite com',
    'example dot com',
    'example (dot) com',
    'example[.]com',
    'go to x . io',
    'visit www pinwheel',
    'hxxps://bad',
    'https: // bad',
    'pinwheel-help。io',
    'pinwheel．com',
    'scаmsite.com', // Cyrillic "а"
    'forum.pinwheel.help',
    'bit.ly/abc',
    'вход.рф',
    'login at 10.0.0.1',
  ])('flags %j', (text) => {
    expect(containsLink(text)).toBe(true);
  });

  it.each([
    'reset password',
    'log in',
    'cambiar su contraseña',
    'forgot password. it says wrong',
    'node.js error',
    'safety net',
    '500 ml',
    'how to cc someone',
    'account info',
    'pay online',
    'pinwheel uk pricing',
    'version 2.0',
    'e.g. reset',
    'как удалить доску',
    'تغيير كلمة المرور',
    'パスワードを忘れた',
  ])('lets %j through', (text) => {
    expect(containsLink(text)).toBe(false);
  });
});

describe('containsContactDetails', () => {
  it.each([
    'call me at 555 123 4567',
    'whatsapp support',
    'telegram @helpdesk',
    'jane@example.com',
    'text me',
    'llámame',
    'напишите мне',
  ])('flags %j', (text) => {
    expect(containsContactDetails(text)).toBe(true);
  });

  it.each(['reset password', 'change phone number', 'contact support', 'change email', '2fa code not arriving'])(
    'lets %j through',
    (text) => {
      expect(containsContactDetails(text)).toBe(false);
    },
  );
});

describe('suggestionHazard and the blocklist', () => {
  const blocklist = new Blocklist(['casino', 'Free Money', 'ass']);

  it('matches blocked words and phrases whatever their case, accents or punctuation', () => {
    expect(suggestionHazard('Reset password CASINO', blocklist)).toBe('blocklist');
    expect(suggestionHazard('get free-money now', blocklist)).toBe('blocklist');
    expect(suggestionHazard('c.a.s.i.n.o bonus', blocklist)).toBe('blocklist');
    expect(suggestionHazard('cásino', blocklist)).toBe('blocklist');
  });

  it('does not find a short term inside other words', () => {
    expect(suggestionHazard('reset password', blocklist)).toBeNull();
    expect(suggestionHazard('free plan money back', blocklist)).toBeNull();
  });

  it('names links and contact details before the blocklist', () => {
    expect(suggestionHazard('casino.com', blocklist)).toBe('link');
    expect(suggestionHazard('whatsapp casino', blocklist)).toBe('contact');
    expect(suggestionHazard('reset [email]', new Blocklist([]))).toBe('personal-data');
  });
});
