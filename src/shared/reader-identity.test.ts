import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createReaderIdentities, identityAgeMs, READER_COOKIE } from './reader-identity.js';

function request(cookies: Record<string, string>): FastifyRequest {
  return { cookies, protocol: 'http' } as unknown as FastifyRequest;
}

function reply(): FastifyReply & { set: Record<string, string> } {
  const set: Record<string, string> = {};
  return {
    set,
    setCookie(name: string, value: string) {
      set[name] = value;
      return this;
    },
  } as unknown as FastifyReply & { set: Record<string, string> };
}

describe('reader identities', () => {
  const readers = createReaderIdentities(randomBytes(32));

  it('issues a signed id and recognises it on the next request', () => {
    const first = reply();
    const issued = readers.identify(request({}), first);
    expect(issued.isNew).toBe(true);
    const cookie = first.set[READER_COOKIE] ?? '';
    expect(cookie.startsWith(`${issued.readerId}.`)).toBe(true);
    const again = readers.identify(request({ [READER_COOKIE]: cookie }), reply());
    expect(again).toMatchObject({ readerId: issued.readerId, isNew: false });
  });

  it('refuses invented, re-signed, backdated and other installations’ ids', () => {
    const old = new Date(Date.now() - 30 * 86_400_000);
    const genuine = readers.sign('A'.repeat(16), old);
    expect(identityAgeMs(readers.peek(request({ [READER_COOKIE]: genuine }))!)).toBeGreaterThan(29 * 86_400_000);
    const [id, , tag] = genuine.split('.');
    const backdated = `${id}.${Math.floor((Date.now() - 400 * 86_400_000) / 1000).toString(36)}.${tag}`;
    for (const forged of [
      'A'.repeat(16),
      backdated,
      createReaderIdentities(randomBytes(32)).sign('A'.repeat(16), old),
      readers.sign('B'.repeat(16), new Date(Date.now() + 86_400_000)),
    ]) {
      expect(readers.peek(request({ [READER_COOKIE]: forged }))).toBeUndefined();
      const fresh = readers.identify(request({ [READER_COOKIE]: forged }), reply());
      expect(fresh.isNew).toBe(true);
    }
  });
});
