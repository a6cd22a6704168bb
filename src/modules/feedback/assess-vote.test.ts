import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import { assessVote, clientKeys } from './assess-vote.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const mature = { isNew: false, ageMs: 30 * DAY_MS };
const fresh = { isNew: true, ageMs: 0 };

describe('assessVote', () => {
  it('counts votes within the budgets and names the budget a vote went past', () => {
    expect(assessVote({ addressVotes: 0, networkVotes: 0 }, fresh)).toBeNull();
    expect(assessVote({ addressVotes: 9, networkVotes: 29 }, mature)).toBeNull();
    expect(assessVote({ addressVotes: LIMITS.voteAddressBudget, networkVotes: 10 }, mature)).toBe('address_budget');
    expect(assessVote({ addressVotes: 1, networkVotes: LIMITS.voteNetworkBudget }, mature)).toBe('network_budget');
    expect(assessVote({ addressVotes: 0, networkVotes: LIMITS.voteNewIdentityBudget }, fresh)).toBe('new_identity');
    // An identity the server issued an hour ago is still new; one issued a day ago is not.
    expect(assessVote({ addressVotes: 0, networkVotes: 3 }, { isNew: false, ageMs: 60 * 60 * 1000 })).toBe(
      'new_identity',
    );
    expect(assessVote({ addressVotes: 0, networkVotes: 3 }, { isNew: false, ageMs: DAY_MS })).toBeNull();
  });

  it('never counts a vote that more usage, or a younger identity, would have flagged less', () => {
    const usage = fc.record({ addressVotes: fc.nat(60), networkVotes: fc.nat(60) });
    const identity = fc.record({ isNew: fc.boolean(), ageMs: fc.nat(3 * DAY_MS) });
    fc.assert(
      fc.property(usage, identity, fc.nat(10), fc.nat(10), (u, id, more, moreNet) => {
        const busier = { addressVotes: u.addressVotes + more, networkVotes: u.networkVotes + more + moreNet };
        if (assessVote(u, id) !== null) expect(assessVote(busier, id)).not.toBeNull();
        if (assessVote(u, id) !== null) expect(assessVote(u, { isNew: true, ageMs: 0 })).not.toBeNull();
      }),
    );
  });

  it('lets one network count at most its budget of votes on an article, however it mixes addresses and cookies', () => {
    // Replays a stream of votes from one network: each is assessed against the counted ones before it.
    const vote = fc.record({ address: fc.nat(300), isNew: fc.boolean(), ageMs: fc.nat(3 * DAY_MS) });
    fc.assert(
      fc.property(fc.array(vote, { maxLength: 400 }), (votes) => {
        const counted: { address: number }[] = [];
        for (const v of votes) {
          const usage = {
            addressVotes: counted.filter((c) => c.address === v.address).length,
            networkVotes: counted.length,
          };
          if (assessVote(usage, v) === null) counted.push(v);
        }
        expect(counted.length).toBeLessThanOrEqual(LIMITS.voteNetworkBudget);
        const perAddress = new Map<number, number>();
        for (const c of counted) perAddress.set(c.address, (perAddress.get(c.address) ?? 0) + 1);
        for (const n of perAddress.values()) expect(n).toBeLessThanOrEqual(LIMITS.voteAddressBudget);
      }),
    );
  });
});

describe('clientKeys', () => {
  const key = Buffer.alloc(32, 7);
  it('keys an address and its network without containing either', () => {
    const a = clientKeys(key, '198.51.100.7');
    expect(a.address).not.toContain('198');
    expect(a.address).not.toBe(a.network);
    expect(clientKeys(key, '198.51.100.8').network).toBe(a.network);
    expect(clientKeys(key, '198.51.100.8').address).not.toBe(a.address);
    expect(clientKeys(key, '::ffff:198.51.100.7')).toEqual(a);
    expect(clientKeys(key, '198.51.101.7').network).not.toBe(a.network);
    expect(clientKeys(Buffer.alloc(32, 8), '198.51.100.7').address).not.toBe(a.address);
    // IPv6: one /64 is one network.
    expect(clientKeys(key, '2001:db8:1:2::1').network).toBe(clientKeys(key, '2001:db8:1:2:ffff::9').network);
    expect(clientKeys(key, '2001:db8:1:3::1').network).not.toBe(clientKeys(key, '2001:db8:1:2::1').network);
  });
});
