import { createHash } from 'node:crypto';
import { solveChallenge } from 'altcha-lib/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { CHALLENGE_MAX_NUMBER, createFormChallenge, type FormChallenge } from './challenge.js';
import { issueFormToken } from './form-token.js';
import { buildForm } from './forms.factories.js';

const URL_BILLING = '/api/forms/billing/submissions';

const ANSWERS = {
  problem: 'other',
  subject: 'Question about my invoice',
  description: 'The invoice shows the wrong company name.',
  email: 'ana@example.com',
};

/** The token with one character of its signature changed. */
function tamper(token: string): string {
  const at = token.length - 5;
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
}

/** Solves a challenge as the island does, and encodes the payload it sends as `altcha`. */
async function solve(challenge: FormChallenge): Promise<{ payload: string; ms: number }> {
  const started = performance.now();
  const solution = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber)
    .promise;
  if (!solution) throw new Error('no solution');
  const ms = performance.now() - started;
  const payload = Buffer.from(
    JSON.stringify({
      algorithm: challenge.algorithm,
      challenge: challenge.challenge,
      number: solution.number,
      salt: challenge.salt,
      signature: challenge.signature,
    }),
  ).toString('base64');
  return { payload, ms };
}

/** The same search with Node's synchronous SHA-256 (altcha-lib's solver awaits Web Crypto per number: slow here). */
function solveQuickly(challenge: FormChallenge): string {
  for (let number = 0; number <= challenge.maxnumber; number++) {
    if (createHash('sha256').update(`${challenge.salt}${number}`).digest('hex') === challenge.challenge) {
      const { maxnumber: _max, ...rest } = challenge;
      return Buffer.from(JSON.stringify({ ...rest, number })).toString('base64');
    }
  }
  throw new Error('no solution');
}

async function countTickets(t: TestApp): Promise<number> {
  const row = await t.ctx.db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('contact form abuse controls', () => {
  describe('honeypot, challenge and render token (challenge on)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        env: { ANSWERLOOP_FORMS_RATE_LIMIT: 'off' },
        prepare: async ({ db }) => {
          await buildForm(db);
        },
      });
    });
    afterAll(async () => {
      await t.close();
    });

    const submit = (extra: Record<string, unknown>, answers: Record<string, unknown> = ANSWERS) =>
      t.app.inject({ method: 'POST', url: URL_BILLING, payload: { locale: 'en', answers, ...extra } });

    it('refuses a filled honeypot with FORM_SPAM_SUSPECTED and stores nothing', async () => {
      const before = await countTickets(t);
      const token = issueFormToken(t.ctx.keys.forms, 'billing', new Date(Date.now() - 60_000));
      const response = await submit({ website: 'http://spam.example', formToken: token });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('FORM_SPAM_SUSPECTED');
      const form = await t.app.inject({
        method: 'POST',
        url: URL_BILLING,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ locale: 'en', ...ANSWERS, website: 'x', formToken: token }).toString(),
      });
      expect(form.json().error.code).toBe('FORM_SPAM_SUSPECTED');
      expect(await countTickets(t)).toBe(before);
    });

    it('asks for the challenge, accepts a solved one once, and refuses a replay, a forgery and an expired one', async () => {
      const before = await countTickets(t);
      const missing = await submit({});
      expect(missing.statusCode).toBe(403);
      expect(missing.json().error.code).toBe('FORM_CHALLENGE_FAILED');

      const served = await t.app.inject({ method: 'GET', url: '/api/forms/challenge' });
      expect(served.statusCode).toBe(200);
      expect(served.headers['cache-control']).toBe('no-store');
      const challenge = served.json() as FormChallenge;
      expect(challenge).toMatchObject({ algorithm: 'SHA-256', maxnumber: CHALLENGE_MAX_NUMBER });
      const { payload, ms } = await solve(challenge);
      console.info(
        `solved a challenge of maxnumber ${challenge.maxnumber} in ${ms.toFixed(0)} ms (altcha-lib's solver in Node: one Web Crypto call per number)`,
      );

      // Wrong answers don't spend the solution: the reader fixes them and sends it again.
      const invalid = await submit({ altcha: payload }, { ...ANSWERS, email: 'nope' });
      expect(invalid.statusCode).toBe(400);
      const accepted = await submit({ altcha: payload });
      expect(accepted.statusCode, accepted.body).toBe(201);
      const replay = await submit({ altcha: payload });
      expect(replay.statusCode).toBe(403);
      expect(replay.json().error.code).toBe('FORM_CHALLENGE_FAILED');

      const decoded = JSON.parse(Buffer.from(payload, 'base64').toString());
      const forged = Buffer.from(JSON.stringify({ ...decoded, number: decoded.number + 1 })).toString('base64');
      expect((await submit({ altcha: forged })).statusCode).toBe(403);
      const fresh = solveQuickly(await createFormChallenge(t.ctx.keys.forms));
      const otherKey = solveQuickly(await createFormChallenge(Buffer.alloc(32, 7)));
      expect((await submit({ altcha: otherKey })).statusCode).toBe(403);
      const expired = solveQuickly(await createFormChallenge(t.ctx.keys.forms, new Date(Date.now() - 21 * 60_000)));
      expect((await submit({ altcha: expired })).statusCode).toBe(403);
      for (const garbage of ['not base64 at all', Buffer.from('{"algorithm":"SHA-256"}').toString('base64'), '']) {
        const response = await submit({ altcha: garbage });
        expect(response.statusCode, garbage).toBe(403);
      }
      expect((await submit({ altcha: fresh })).statusCode).toBe(201);
      expect(await countTickets(t)).toBe(before + 2);
    });

    it('accepts a render token from 3 s to 24 h old, for its own form only', async () => {
      const before = await countTickets(t);
      const key = t.ctx.keys.forms;
      const ago = (ms: number) => new Date(Date.now() - ms);
      const cases: [string, number][] = [
        [issueFormToken(key, 'billing'), 403],
        [issueFormToken(key, 'billing', ago(1_500)), 403],
        [issueFormToken(key, 'billing', ago(25 * 3_600_000)), 403],
        [issueFormToken(key, 'other-form', ago(60_000)), 403],
        [issueFormToken(Buffer.alloc(32, 1), 'billing', ago(60_000)), 403],
        [tamper(issueFormToken(key, 'billing', ago(60_000))), 403],
        [issueFormToken(key, 'billing', ago(5_000)), 201],
        [issueFormToken(key, 'billing', ago(23 * 3_600_000)), 201],
      ];
      for (const [formToken, status] of cases) {
        const response = await submit({ formToken });
        expect(response.statusCode, formToken).toBe(status);
        if (status === 403) expect(response.json().error.code).toBe('FORM_CHALLENGE_FAILED');
      }
      expect(await countTickets(t)).toBe(before + 2);
    });
  });

  describe('rate limits', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        env: {
          ANSWERLOOP_FORMS_CHALLENGE: 'off',
          ANSWERLOOP_FORMS_RATE_LIMIT: '2/10m',
          ANSWERLOOP_FORMS_FORM_RATE_LIMIT: '5/1h',
          ANSWERLOOP_TRUST_PROXY: '1',
        },
        prepare: async ({ db }) => {
          await buildForm(db);
        },
      });
    });
    afterAll(async () => {
      await t.close();
    });

    const from = (app: TestApp['app'], address: string, answers: Record<string, unknown> = ANSWERS) =>
      app.inject({
        method: 'POST',
        url: URL_BILLING,
        headers: { 'x-forwarded-for': address },
        payload: { locale: 'en', answers },
      });

    it('limits each network, counting only valid submissions, with Retry-After', async () => {
      // Mistakes are not counted: a reader fixing them is not punished.
      for (let i = 0; i < 4; i++) expect((await from(t.app, '203.0.113.5', {})).statusCode).toBe(400);
      expect((await from(t.app, '203.0.113.5')).statusCode).toBe(201);
      expect((await from(t.app, '203.0.113.6')).statusCode).toBe(201);
      const before = await countTickets(t);
      // Another address of the same /24 shares the network's budget.
      const limited = await from(t.app, '203.0.113.77');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('RATE_LIMITED');
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(await countTickets(t)).toBe(before);
      // Another network is not affected.
      expect((await from(t.app, '198.51.100.7')).statusCode).toBe(201);
    });

    it('limits each form across networks, and a second process on the same database shares the budgets', async () => {
      const second = await buildApp({ config: t.config, database: t.database });
      try {
        expect((await from(t.app, '192.0.2.1')).statusCode).toBe(201);
        expect((await from(second.app, '192.0.2.1')).statusCode).toBe(201);
        // The network's third within the window, counted by the other process: refused.
        const network = await from(second.app, '192.0.2.1');
        expect(network.statusCode).toBe(429);
        expect(network.json().error.message).toMatch(/your network/);
        // The form's sixth from everyone (three in the test above, two here): refused on both processes.
        const form = await from(second.app, '100.64.0.1');
        expect(form.statusCode).toBe(429);
        expect(form.json().error.message).toMatch(/this form/);
        expect(Number(form.headers['retry-after'])).toBeGreaterThan(0);
        expect((await from(t.app, '100.64.2.1')).statusCode).toBe(429);
      } finally {
        await second.shutdown();
      }
    });
  });
});
