import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsPersonalData, redactPersonalData } from './detect-personal-data.js';

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
