import { describe, expect, it } from '@jest/globals';
import { ChainHasher, comparePositions, GENESIS_HASH, type ChainFields } from './audit-chain.js';
import { verifyChain, type ChainCheckpoint, type ChainLink, type ChainPage } from './chain-verification.js';

/** A log of `count` events at positions 1, 3, 5…: positions need not be contiguous (EventStoreDB's are not). */
function log(count: number): ChainFields[] {
  return Array.from({ length: count }, (_, index) => {
    const position = String(2 * index + 1);
    return [position, `beneficiary-${index % 3}`, String(Math.floor(index / 3)), `id-${position}`, 'EnrollmentStarted', '1', '2024-01-01T00:00:00.000Z', `{"n":${index}}`, '{"actorId":"a"}'] as const;
  });
}

/** The chain as the projector records it. */
function chainOf(events: readonly ChainFields[]): ChainLink[] {
  const hasher = new ChainHasher();
  return events.map((fields) => ({ position: fields[0], hash: hasher.next(fields).toString('hex') }));
}

const digestAt = (chain: readonly ChainLink[], position: string, label = 'digest'): ChainCheckpoint => ({ ...chain.find((link) => link.position === position)!, label });
/**
 * Pages as the sources give them: `size` events each, with the recorded links of the same range of
 * positions, the last page reaching to the end; and the recorded chain's head, as they know it.
 */
function check(events: readonly ChainFields[], links: readonly ChainLink[], checkpoints: ChainCheckpoint[], size = 4) {
  const pages: ChainPage[] = [];
  let from = '-1';
  for (let index = 0; ; index += size) {
    const slice = events.slice(index, index + size);
    const last = index + size >= events.length;
    const to = last ? undefined : slice.at(-1)![0];
    pages.push({ events: slice, links: links.filter((link) => comparePositions(link.position, from) > 0 && (to === undefined || comparePositions(link.position, to) <= 0)) });
    if (last) break;
    from = to!;
  }
  return verifyChain({ pages, checkpoints, ...(links.length ? { recordedHead: links.at(-1)!.position } : {}) });
}
const withData = (fields: ChainFields, data: string): ChainFields => [...fields.slice(0, 7), data, fields[8]] as unknown as ChainFields;

describe('verifying the chain', () => {
  const events = log(20);
  const recorded = chainOf(events);
  const digest = digestAt(recorded, '39');

  describe('when nothing was changed', () => {
    it('agrees with the recorded chain and the digest, whatever the page sizes', async () => {
      for (const size of [1, 3, 100]) {
        const verdict = await check(events, recorded, [digest], size);
        expect(verdict).toEqual({ ok: true, position: '39', hash: digest.hash, eventsChecked: 20 });
      }
    });

    it('stops at the digest: later events are not its concern', async () => {
      const verdict = await check(events, recorded, [digestAt(recorded, '9')]);
      expect(verdict).toMatchObject({ ok: true, position: '9', eventsChecked: 5 });
    });

    it('verifies a digest of the empty log (the genesis)', async () => {
      const verdict = await check(events, recorded, [{ position: '-1', hash: GENESIS_HASH.toString('hex'), label: 'digest' }]);
      expect(verdict).toMatchObject({ ok: true, position: '-1', eventsChecked: 0 });
    });

    it('verifies against the digest alone while the recorded chain is being rebuilt', async () => {
      const verdict = await check(events, recorded.slice(0, 6), [digest]);
      expect(verdict.ok).toBe(true);
    });

    it('shows that a later digest extends an earlier one', async () => {
      const verdict = await check(events, recorded, [digest, digestAt(recorded, '11', 'earlier')]);
      expect(verdict.ok).toBe(true);
    });
  });

  describe("when an event's content was changed", () => {
    const tampered = events.map((fields) => (fields[0] === '15' ? withData(fields, '{"n":999}') : fields));

    it('names its position', async () => {
      const verdict = await check(tampered, recorded, [digest]);
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: '15', reason: 'EVENT_CHANGED' });
    });

    it('still refuses the log when the recorded chain was recomputed to hide it, naming the digest', async () => {
      const verdict = await check(tampered, chainOf(tampered), [digest]);
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: '39', reason: 'DIGEST_MISMATCH', checkpoint: 'digest' });
    });

    it('narrows it down with an earlier digest: the later one no longer extends it', async () => {
      const earlier = digestAt(recorded, '25', 'earlier');
      const verdict = await check(tampered, chainOf(tampered), [digest, earlier]);
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: '25', reason: 'DIGEST_MISMATCH', checkpoint: 'earlier' });
    });

    it('notices a change of spacing alone: the stored bytes are what is hashed', async () => {
      const respaced = events.map((fields) => (fields[0] === '7' ? withData(fields, '{"n": 3}') : fields));
      expect(await check(respaced, recorded, [digest])).toMatchObject({ firstDifferingPosition: '7' });
    });
  });

  describe('when an event was deleted', () => {
    it('names its position from the recorded chain', async () => {
      const verdict = await check(events.filter((fields) => fields[0] !== '21'), recorded, [digest]);
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: '21', reason: 'EVENT_MISSING' });
    });

    it('names it too when it was the last one, at the digest', async () => {
      const verdict = await check(events.slice(0, -1), recorded, [digest]);
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: '39', reason: 'EVENT_MISSING' });
    });

    it("names the digest's position when the recorded chain lost it too", async () => {
      const verdict = await check(events.slice(0, -1), recorded.slice(0, -1), [digest]);
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: '39', reason: 'DIGEST_POSITION_MISSING' });
    });
  });

  describe('when an event was inserted', () => {
    it('names its position', async () => {
      const inserted: ChainFields = ['16', 'beneficiary-x', '0', 'id-16', 'EnrollmentStarted', '1', '2024-01-01T00:00:00.000Z', '{}', '{}'];
      const withInsertion = [...events.slice(0, 8), inserted, ...events.slice(8)];
      const verdict = await check(withInsertion, recorded, [digest]);
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: '16', reason: 'EVENT_NOT_IN_RECORDED_CHAIN' });
    });
  });

  describe('when an event was inserted at the end of a stretch read at once', () => {
    it('still names its position: the recorded chain goes on past it', async () => {
      const inserted: ChainFields = ['8', 'beneficiary-x', '0', 'id-8', 'EnrollmentStarted', '1', '2024-01-01T00:00:00.000Z', '{}', '{}'];
      const withInsertion = [...events.slice(0, 4), inserted, ...events.slice(4)];
      expect(await check(withInsertion, recorded, [digest], 5)).toMatchObject({ ok: false, firstDifferingPosition: '8', reason: 'EVENT_NOT_IN_RECORDED_CHAIN' });
    });
  });

  describe('when events follow the recorded chain’s head (the projector has not reached them yet)', () => {
    it('checks them against the digest alone', async () => {
      expect(await check(events, recorded.slice(0, 10), [digest])).toMatchObject({ ok: true, position: '39' });
    });
  });

  describe('when only the recorded chain was altered', () => {
    it('clears the log (it meets the digest) and names the altered link', async () => {
      const altered = recorded.map((link) => (link.position === '13' ? { ...link, hash: 'f'.repeat(64) } : link));
      const verdict = await check(events, altered, [digest]);
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: '13', reason: 'RECORDED_CHAIN_CHANGED' });
    });
  });

  describe('when the digest is not this ledger’s', () => {
    it('refuses it at its position', async () => {
      const verdict = await check(events, recorded, [{ ...digest, hash: '0'.repeat(64) }]);
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: '39', reason: 'DIGEST_MISMATCH' });
    });

    it('refuses a position the log never had', async () => {
      const verdict = await check(events, recorded, [{ ...digest, position: '12' }]);
      expect(verdict).toMatchObject({ ok: false, firstDifferingPosition: '12', reason: 'DIGEST_POSITION_MISSING' });
    });
  });
});
