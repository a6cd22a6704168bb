import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { createTestUser, TEST_PASSWORD } from './accounts.test-support.js';
import { lockDelayMs, THROTTLE } from './login-throttle.js';

describe('lockDelayMs', () => {
  it('is 0 below the threshold, then doubles from 1 s up to 15 minutes', () => {
    expect(lockDelayMs(4, 5)).toBe(0);
    expect([5, 6, 7, 8].map((n) => lockDelayMs(n, 5))).toEqual([1000, 2000, 4000, 8000]);
    expect(lockDelayMs(15, 5)).toBe(THROTTLE.maxDelayMs);
    expect(lockDelayMs(10_000, 5)).toBe(15 * 60 * 1000);
  });
});

describe('login throttling', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (email: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { email, password } });
  /** Lets every lock run out now, as if its delay had passed (no sleeping). */
  const expireLocks = () => t.database.db.updateTable('login_throttle').set({ locked_until: new Date(Date.now() - 1) }).execute();

  it('locks an account after 5 failures from any addresses, with delays that double, without checking the password', async () => {
    const user = await createTestUser(t, { role: 'editor' });
    for (let i = 0; i < THROTTLE.accountThreshold - 1; i++) {
      expect((await login(user.email, 'wrong password!', `198.51.100.${i + 1}`)).statusCode).toBe(401);
    }
    // The 5th failure locks for 1 s: even the right password, from yet another address, is refused unchecked.
    expect((await login(user.email, 'wrong password!', '198.51.100.50')).statusCode).toBe(401);
    const locked = await login(user.email, TEST_PASSWORD, '203.0.113.9');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('LOGIN_THROTTLED');
    expect(locked.headers['retry-after']).toBe('1');
    expect(locked.headers['set-cookie']).toBeUndefined();

    const delays: string[] = [];
    for (let i = 0; i < 3; i++) {
      await expireLocks();
      expect((await login(user.email, 'wrong password!', `192.0.2.${i + 1}`)).statusCode).toBe(401);
      delays.push(String((await login(user.email, TEST_PASSWORD, '192.0.2.200')).headers['retry-after']));
    }
    expect(delays).toEqual(['2', '4', '8']);

    // Once the lock has run out, the right password signs in and clears the account's count.
    await expireLocks();
    expect((await login(user.email, TEST_PASSWORD, '192.0.2.201')).statusCode).toBe(200);
    expect((await login(user.email, 'wrong password!', '192.0.2.202')).statusCode).toBe(401);
    expect((await login(user.email, TEST_PASSWORD, '192.0.2.203')).statusCode).toBe(200);
  });

  it('counts failures for unknown emails too, so the lock does not reveal which accounts exist', async () => {
    for (let i = 0; i < THROTTLE.accountThreshold; i++) {
      await login('nobody-here@example.com', 'wrong password!', `198.18.0.${i + 1}`);
    }
    const locked = await login('nobody-here@example.com', 'wrong password!', '198.18.1.1');
    expect(locked.statusCode).toBe(429);
  });

  it('locks an address after 20 failures across accounts; other addresses are unaffected', async () => {
    const victim = await createTestUser(t, { role: 'viewer' });
    const attacker = '2001:db8:aa:bb::1';
    for (let i = 0; i < THROTTLE.addressThreshold; i++) {
      expect((await login(`guess-${i}@example.com`, 'wrong password!', attacker)).statusCode).toBe(401);
    }
    // Another address in the same IPv6 /64 is the same client.
    const locked = await login(victim.email, TEST_PASSWORD, '2001:db8:aa:bb::99');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await login(victim.email, TEST_PASSWORD, '2001:db8:cc:dd::1')).statusCode).toBe(200);
  });

  it('keeps only keyed hashes in the throttle table, never emails or addresses', async () => {
    const rows = await t.database.db.selectFrom('login_throttle').select('key').execute();
    expect(rows.length).toBeGreaterThan(0);
    const text = JSON.stringify(rows);
    expect(text).not.toMatch(/example\.com|2001:db8|198\.51/);
  });
});
