import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AppendTooLarge,
  EventIdConflict,
  MAX_APPEND_BYTES,
  WrongExpectedRevision,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
} from '../event-store.port.js';

export interface EventStoreContractHarness {
  /** A fresh, connected store. Stream names are unique per test, so a shared server is fine. */
  open(): Promise<EventStore>;
  /**
   * A child Node process that opens the same store, appends one event and prints
   * `appended <position>` the moment the append resolves.
   */
  durabilityChild(streamName: string, eventId: string): { command: string; args: string[]; env?: Record<string, string> };
}

/**
 * Runs the harness's durability child: it appends one event with "no stream" expected to its own
 * stream, reports the position, and is killed with SIGKILL the moment it does.
 */
export async function appendFromChildProcess(harness: EventStoreContractHarness, streamName: string, eventId: string): Promise<bigint> {
  const { command, args, env } = harness.durabilityChild(streamName, eventId);
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise((resolve) => child.once('close', resolve));
  const reported = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /appended (\d+)/.exec(stdout);
      if (match) {
        child.kill('SIGKILL');
        resolve(match[1]!);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`durability child exited (${code ?? signal}) before appending: ${stderr}`));
    });
  });
  await closed;
  return BigInt(reported);
}

export function event(type = 'test-happened', data: Record<string, string | number> = {}, id: string = randomUUID()): EventToAppend {
  return { id, type, schemaVersion: 1, data, metadata: { actorId: 'contract-suite' } };
}

/** The behaviour every adapter of the event-store port must show. */
export function describeEventStoreContract(adapterName: string, harness: EventStoreContractHarness): void {
  describe(`${adapterName} event store (contract)`, () => {
    let store: EventStore;
    const run = randomUUID().slice(0, 8);
    const streamName = (label: string) => `contract-${label}-${run}-${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      store = await harness.open();
    });
    afterAll(async () => {
      await store.close();
    });

    describe('when appending with an expected revision', () => {
      it('creates a stream with "no stream" and refuses "no stream" once it exists', async () => {
        const stream = streamName('no-stream');
        const first = await store.appendToStream(stream, [event()], 'no_stream');
        expect(first.nextExpectedRevision).toBe(0n);
        expect(first.written).toBe(true);

        const refused = store.appendToStream(stream, [event()], 'no_stream');
        await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevision);
        await expect(refused).rejects.toMatchObject({ actual: 0n });
      });

      it('appends with "stream exists" only to a stream that exists', async () => {
        const stream = streamName('exists');
        const refused = store.appendToStream(stream, [event()], 'stream_exists');
        await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevision);
        await expect(refused).rejects.toMatchObject({ actual: 'no_stream' });

        await store.appendToStream(stream, [event()], 'no_stream');
        const second = await store.appendToStream(stream, [event(), event()], 'stream_exists');
        expect(second.nextExpectedRevision).toBe(2n);
      });

      it('appends at the exact revision and reports the actual one on a mismatch', async () => {
        const stream = streamName('exact');
        await store.appendToStream(stream, [event(), event(), event()], 'no_stream');
        const next = await store.appendToStream(stream, [event()], 2n);
        expect(next.nextExpectedRevision).toBe(3n);

        const stale = store.appendToStream(stream, [event()], 1n);
        await expect(stale).rejects.toBeInstanceOf(WrongExpectedRevision);
        await expect(stale).rejects.toMatchObject({ expected: 1n, actual: 3n, streamName: stream });
        expect(await store.readStream(stream)).toHaveLength(4);
      });

      it('appends with "any" whatever the stream holds', async () => {
        const stream = streamName('any');
        await store.appendToStream(stream, [event()], 'any');
        const second = await store.appendToStream(stream, [event()], 'any');
        expect(second.nextExpectedRevision).toBe(1n);
      });

      it('lets exactly one of 20 concurrent appends at the same revision win', async () => {
        const stream = streamName('race');
        await store.appendToStream(stream, [event()], 'no_stream');
        const outcomes = await Promise.allSettled(
          Array.from({ length: 20 }, (_, writer) => store.appendToStream(stream, [event('raced', { writer })], 0n)),
        );
        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(19);
        for (const loss of lost) {
          expect(loss.reason).toBeInstanceOf(WrongExpectedRevision);
          expect((loss.reason as WrongExpectedRevision).actual).toBe(1n);
        }
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('when a command retries an append', () => {
      it('succeeds without writing events whose ids are already there at that revision', async () => {
        const stream = streamName('retry');
        const events = [event('a', { n: 1 }), event('b', { n: 2 })];
        const first = await store.appendToStream(stream, events, 'no_stream');
        const retry = await store.appendToStream(stream, events, 'no_stream');
        expect(retry).toEqual({ ...first, written: false });

        const more = [event('c', { n: 3 })];
        const third = await store.appendToStream(stream, more, 1n);
        expect(await store.appendToStream(stream, more, 1n)).toEqual({ ...third, written: false });
        expect((await store.readStream(stream)).map((recorded) => recorded.type)).toEqual(['a', 'b', 'c']);
      });

      it('refuses an event id reused with different content', async () => {
        const stream = streamName('conflict');
        const original = event('amount-set', { amount: 100 });
        await store.appendToStream(stream, [original], 'no_stream');
        const tampered = { ...original, data: { amount: 999 } };
        await expect(store.appendToStream(stream, [tampered], 'no_stream')).rejects.toBeInstanceOf(EventIdConflict);
        const stored = await store.readStream(stream);
        expect(stored).toHaveLength(1);
        expect(stored[0]!.data).toEqual({ amount: 100 });
      });

      it('recognises a retry under "any" and "stream exists" wherever its events already are', async () => {
        const stream = streamName('retry-anywhere');
        await store.appendToStream(stream, [event('before')], 'no_stream');
        const events = [event('a', { n: 1 }), event('b', { n: 2 })];
        const first = await store.appendToStream(stream, events, 'any');
        await store.appendToStream(stream, [event('after')], 2n);

        expect(await store.appendToStream(stream, events, 'any')).toEqual({ ...first, written: false });
        expect(await store.appendToStream(stream, events, 'stream_exists')).toEqual({ ...first, written: false });
        expect((await store.readStream(stream)).map((recorded) => recorded.type)).toEqual(['before', 'a', 'b', 'after']);
      });

      it('refuses a retry whose first event is there but whose next ones are not', async () => {
        const stream = streamName('partial-retry');
        const [a, b] = [event('a'), event('b')];
        await store.appendToStream(stream, [a, b], 'no_stream');
        const refused = store.appendToStream(stream, [a, event('c')], 'no_stream');
        await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevision);
        await expect(refused).rejects.toMatchObject({ actual: 1n });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('keeps one failing append from failing its concurrent neighbours', async () => {
        const streams = [streamName('n1'), streamName('n2'), streamName('n3')];
        const outcomes = await Promise.allSettled([
          store.appendToStream(streams[0]!, [event()], 'no_stream'),
          store.appendToStream(streams[1]!, [event()], 5n),
          store.appendToStream(streams[2]!, [event()], 'no_stream'),
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect(await store.readStream(streams[1]!)).toEqual([]);
      });
    });

    describe('when many streams are appended to at once (appendToStreams)', () => {
      it('settles each append on its own, in order, exactly as appendToStream would', async () => {
        const [fresh, existing, retried, raced] = [streamName('bulk-fresh'), streamName('bulk-existing'), streamName('bulk-retried'), streamName('bulk-raced')];
        await store.appendToStream(existing, [event()], 'no_stream');
        const earlier = [event('retried', { n: 1 })];
        const first = await store.appendToStream(retried, earlier, 'no_stream');

        const outcomes = await store.appendToStreams([
          { streamName: fresh, events: [event('a'), event('b')], expectedRevision: 'no_stream' },
          { streamName: existing, events: [event()], expectedRevision: 'no_stream' },
          { streamName: retried, events: earlier, expectedRevision: 'no_stream' },
          // Two appends to one stream at the same revision in one batch: the first wins, as in a race.
          { streamName: raced, events: [event('first')], expectedRevision: 'no_stream' },
          { streamName: raced, events: [event('second')], expectedRevision: 'no_stream' },
        ]);

        expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected']);
        expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevision);
        expect((outcomes[1] as PromiseRejectedResult).reason.actual).toBe(0n);
        expect((outcomes[2] as PromiseFulfilledResult<unknown>).value).toEqual({ ...first, written: false });
        expect((outcomes[4] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevision);
        expect((await store.readStream(fresh)).map((recorded) => recorded.type)).toEqual(['a', 'b']);
        expect(await store.readStream(existing)).toHaveLength(1);
        expect(await store.readStream(retried)).toHaveLength(1);
        expect((await store.readStream(raced)).map((recorded) => recorded.type)).toEqual(['first']);
      });
    });

    describe('when a batch carries an append and its retry', () => {
      it('writes the events once and settles the retry as already appended', async () => {
        const stream = streamName('bulk-retry');
        const events = [event('once', { n: 1 })];
        const outcomes = await store.appendToStreams([
          { streamName: stream, events, expectedRevision: 'no_stream' },
          { streamName: stream, events, expectedRevision: 'no_stream' },
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled']);
        const [first, retry] = outcomes.map((outcome) => (outcome as PromiseFulfilledResult<AppendResult>).value);
        expect(first!.written).toBe(true);
        expect(retry).toEqual({ ...first, written: false });
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('when an append is heavier than one append may be (MAX_APPEND_BYTES)', () => {
      const halfOfTheLimit = 'x'.repeat(MAX_APPEND_BYTES / 2);

      it('refuses it with AppendTooLarge and writes none of it', async () => {
        const heavy = streamName('heavy-single');
        await expect(store.appendToStream(heavy, [event('big', { text: halfOfTheLimit }), event('big', { text: halfOfTheLimit })], 'no_stream')).rejects.toBeInstanceOf(
          AppendTooLarge,
        );
        expect(await store.readStream(heavy)).toEqual([]);
        // Half of it fits, and the stream is still new.
        await store.appendToStream(heavy, [event('big', { text: halfOfTheLimit })], 'no_stream');
        expect(await store.readStream(heavy)).toHaveLength(1);
      });

      it('refuses that append alone in a batch, and writes the others', async () => {
        const [before, heavy, after] = [streamName('heavy-before'), streamName('heavy-batch'), streamName('heavy-after')];
        const outcomes = await store.appendToStreams([
          { streamName: before, events: [event('big', { text: halfOfTheLimit })], expectedRevision: 'no_stream' },
          { streamName: heavy, events: [event('big', { text: halfOfTheLimit }), event('big', { text: halfOfTheLimit })], expectedRevision: 'no_stream' },
          { streamName: after, events: [event('small')], expectedRevision: 'no_stream' },
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        const refusal = (outcomes[1] as PromiseRejectedResult).reason as AppendTooLarge;
        expect(refusal).toBeInstanceOf(AppendTooLarge);
        expect(refusal.streamName).toBe(heavy);
        expect(refusal.bytes).toBeGreaterThan(MAX_APPEND_BYTES);
        expect(await store.readStream(heavy)).toEqual([]);
        expect((await store.readStream(before))[0]!.data.text).toHaveLength(MAX_APPEND_BYTES / 2);
        expect(await store.readStream(after)).toHaveLength(1);
      });
    });

    describe('when reading a category', () => {
      it('yields every stream of the category with all its events in order, and no stream of another', async () => {
        // A category of this run alone (a server may be shared), with no dash of its own.
        const category = `contractcategory${run}`;
        const members = ['b', 'a', 'c'].map((id, index) => ({ name: `${category}-${id}${randomUUID().slice(0, 6)}`, count: index + 1 }));
        for (const { name, count } of members) {
          await store.appendToStream(name, Array.from({ length: count }, (_, n) => event('member', { n })), 'no_stream');
        }
        for (const outsider of [`${category}x-1`, `${category}`, `other${category}-1`, `${category}.1`]) {
          await store.appendToStream(outsider, [event('outsider')], 'any');
        }

        const read: Array<{ name: string; revisions: bigint[]; ns: unknown[] }> = [];
        for await (const { streamName: name, events } of store.readCategory(category)) {
          read.push({ name, revisions: events.map((recorded) => recorded.streamRevision), ns: events.map((recorded) => recorded.data.n) });
        }
        const byName = (x: { name: string }, y: { name: string }) => (x.name < y.name ? -1 : 1);
        expect(read.sort(byName)).toEqual(
          members
            .map(({ name, count }) => ({ name, revisions: Array.from({ length: count }, (_, n) => BigInt(n)), ns: Array.from({ length: count }, (_, n) => n) }))
            .sort(byName),
        );
      });
    });

    describe('when asking what changed in some categories since a position (streamChangesAfter)', () => {
      const changesOf = async (category: string | string[], after: bigint) => {
        const changes: Array<{ streamName: string; streamRevision: bigint; type: string; globalPosition: bigint }> = [];
        for await (const page of store.streamChangesAfter(typeof category === 'string' ? [category] : category, after)) changes.push(...page);
        return changes;
      };

      it('lists each event of the category written after it, in log order, with its stream, revision, type and position', async () => {
        const category = `contractchanges${run}`;
        const [old, moved, created] = ['old', 'moved', 'created'].map((id) => `${category}-${id}${randomUUID().slice(0, 6)}`) as [string, string, string];
        await store.appendToStream(old, [event('opened')], 'no_stream');
        await store.appendToStream(moved, [event('opened')], 'no_stream');
        const since = await store.headPosition();
        const written = [
          await store.appendToStream(moved, [event('changed'), event('closed')], 0n),
          await store.appendToStream(`${category}x-1${randomUUID().slice(0, 6)}`, [event('outsider')], 'no_stream'),
          await store.appendToStream(`other${category}-1${randomUUID().slice(0, 6)}`, [event('outsider')], 'no_stream'),
          await store.appendToStream(created, [event('opened')], 'no_stream'),
        ];

        const changes = await changesOf(category, since);
        expect(changes.map(({ streamName, streamRevision, type }) => ({ streamName, streamRevision, type }))).toEqual([
          { streamName: moved, streamRevision: 1n, type: 'changed' },
          { streamName: moved, streamRevision: 2n, type: 'closed' },
          { streamName: created, streamRevision: 0n, type: 'opened' },
        ]);
        const positions = changes.map((change) => change.globalPosition);
        expect(positions[1]).toBe(written[0]!.position);
        expect(positions.at(-1)).toBe(written[3]!.position);
        expect(positions[0]! > since && positions[0]! < positions[1]! && positions[1]! < positions[2]!).toBe(true);
        expect(await store.readStream(moved, { fromRevision: 1n, maxCount: 1 })).toEqual([expect.objectContaining({ globalPosition: positions[0] })]);
      });

      it('lists the changes of several categories together, in log order', async () => {
        const [people, months] = [`contractpeople${run}`, `contractmonths${run}`];
        const since = await store.headPosition();
        const person = `${people}-${randomUUID().slice(0, 6)}`;
        const month = `${months}-${randomUUID().slice(0, 6)}`;
        await store.appendToStream(person, [event('enrolled')], 'no_stream');
        await store.appendToStream(`elsewhere${run}-${randomUUID().slice(0, 6)}`, [event('outsider')], 'no_stream');
        await store.appendToStream(month, [event('scheduled')], 'no_stream');
        await store.appendToStream(person, [event('suspended')], 0n);
        expect((await changesOf([people, months], since)).map(({ streamName, type }) => [streamName, type])).toEqual([
          [person, 'enrolled'],
          [month, 'scheduled'],
          [person, 'suspended'],
        ]);
        expect(await changesOf([], since)).toEqual([]);
      });

      it('lists nothing when nothing of the category was written after it, and everything from before the log began', async () => {
        const category = `contractquiet${run}`;
        const name = `${category}-${randomUUID().slice(0, 6)}`;
        await store.appendToStream(name, [event('opened')], 'no_stream');
        expect(await changesOf(category, await store.headPosition())).toEqual([]);
        await store.appendToStream(streamName('elsewhere'), [event('outsider')], 'no_stream');
        expect(await changesOf(category, (await store.readStream(name))[0]!.globalPosition)).toEqual([]);
        expect((await changesOf(category, -1n)).map((change) => change.streamName)).toEqual([name]);
      });
    });

    describe('when asking where every stream of a category stands (streamHeadsOfCategory)', () => {
      it('gives each stream of the category its revision, last event type and last position, and no stream of another', async () => {
        const category = `contractheads${run}`;
        const [one, two] = ['one', 'two'].map((id) => `${category}-${id}${randomUUID().slice(0, 6)}`) as [string, string];
        await store.appendToStream(one, [event('created')], 'no_stream');
        const { position: twoAt } = await store.appendToStream(two, [event('created'), event('completed')], 'no_stream');
        const { position: oneAt } = await store.appendToStream(one, [event('approved')], 0n);
        await store.appendToStream(`${category}x-${randomUUID().slice(0, 6)}`, [event('outsider')], 'no_stream');

        const heads = [];
        for await (const page of store.streamHeadsOfCategory(category)) heads.push(...page);
        expect(heads.sort((a, b) => (a.streamName < b.streamName ? -1 : 1))).toEqual([
          { streamName: one, revision: 1n, lastEventType: 'approved', lastPosition: oneAt },
          { streamName: two, revision: 1n, lastEventType: 'completed', lastPosition: twoAt },
        ]);
        const none = [];
        for await (const page of store.streamHeadsOfCategory(`contractnothing${run}`)) none.push(...page);
        expect(none).toEqual([]);
      });
    });

    describe('when asking where streams stand (streamHeads)', () => {
      it('gives the revision and last event type of each stream that exists, and nothing for one that does not', async () => {
        const [one, three, missing] = [streamName('head-1'), streamName('head-3'), streamName('head-missing')];
        await store.appendToStream(one, [event('opened')], 'no_stream');
        await store.appendToStream(three, [event('opened'), event('changed'), event('closed')], 'no_stream');

        const heads = await store.streamHeads([one, three, missing, one]);
        expect([...heads.entries()].sort(([x], [y]) => (x < y ? -1 : 1))).toEqual(
          [
            [one, { revision: 0n, lastEventType: 'opened' }],
            [three, { revision: 2n, lastEventType: 'closed' }],
          ].sort(([x], [y]) => ((x as string) < (y as string) ? -1 : 1)),
        );
        expect(await store.streamHeads([])).toEqual(new Map());
      });
    });

    describe('when reading the last event of many streams (readLastEvents)', () => {
      it('gives the last event of each stream that exists, as a read of the stream records it, and nothing for one that does not', async () => {
        const [one, three, missing] = [streamName('last-1'), streamName('last-3'), streamName('last-missing')];
        await store.appendToStream(one, [event('opened', { n: 1 })], 'no_stream');
        await store.appendToStream(three, [event('opened'), event('changed'), event('closed', { reason: 'done' })], 'no_stream');

        const last = await store.readLastEvents([one, three, missing, one]);
        expect([...last.keys()].sort()).toEqual([one, three].sort());
        expect(last.get(one)).toEqual((await store.readStream(one)).at(-1));
        expect(last.get(three)).toEqual((await store.readStream(three)).at(-1));
        expect(last.get(three)).toMatchObject({ type: 'closed', streamRevision: 2n, data: { reason: 'done' } });
        expect(await store.readLastEvents([])).toEqual(new Map());
      });

      it('answers for more streams than one look-up holds', async () => {
        const written = Array.from({ length: 620 }, (_, n) => streamName(`last-wide-${n}`));
        await store.appendToStreams(written.map((name, n) => ({ streamName: name, events: [event('first'), event('wide', { n })], expectedRevision: 'no_stream' as const })));
        const last = await store.readLastEvents([...written, streamName('last-wide-absent')]);
        expect(last.size).toBe(written.length);
        written.forEach((name, n) => expect(last.get(name)).toMatchObject({ streamName: name, type: 'wide', streamRevision: 1n, data: { n } }));
      }, 60_000);
    });

    describe('when reading many streams at once (readStreams)', () => {
      it('gives every event of each stream that exists, in stream order, as a read of the stream gives them, and nothing for one that does not', async () => {
        const [one, three, missing] = [streamName('streams-1'), streamName('streams-3'), streamName('streams-missing')];
        await store.appendToStream(one, [event('opened', { n: 1 })], 'no_stream');
        await store.appendToStream(three, [event('opened'), event('changed', { n: 2 })], 'no_stream');
        await store.appendToStream(three, [event('closed', { reason: 'done' })], 1n);

        const read = await store.readStreams([three, missing, one, three]);
        expect([...read.keys()].sort()).toEqual([one, three].sort());
        expect(read.get(one)).toEqual(await store.readStream(one));
        expect(read.get(three)).toEqual(await store.readStream(three));
        expect(read.get(three)!.map(({ type, streamRevision }) => [type, streamRevision])).toEqual([
          ['opened', 0n],
          ['changed', 1n],
          ['closed', 2n],
        ]);
        expect(await store.readStreams([])).toEqual(new Map());
        expect(await store.readStreams([missing])).toEqual(new Map());
      });

      it('gives a stream of many events whole, in order', async () => {
        const long = streamName('streams-long');
        await store.appendToStream(long, Array.from({ length: 300 }, (_, n) => event('step', { n })), 'no_stream');
        await store.appendToStream(long, Array.from({ length: 200 }, (_, n) => event('step', { n: 300 + n })), 299n);
        const short = streamName('streams-short');
        await store.appendToStream(short, [event('only')], 'no_stream');

        const read = await store.readStreams([long, short]);
        expect(read.get(long)!.map(({ data, streamRevision }) => [data['n'], streamRevision])).toEqual(Array.from({ length: 500 }, (_, n) => [n, BigInt(n)]));
        expect(read.get(short)).toHaveLength(1);
      }, 60_000);

      it('answers for more streams than one look-up holds, each with its own events, whatever order they were written in', async () => {
        const written = Array.from({ length: 620 }, (_, n) => streamName(`streams-wide-${n}`));
        await store.appendToStreams(written.map((name, n) => ({ streamName: name, events: [event('first', { n }), event('second', { n })], expectedRevision: 'no_stream' as const })));
        // Streams appended to again later interleave their events in the log with the others'.
        await store.appendToStreams(written.filter((_, n) => n % 3 === 0).map((name, n) => ({ streamName: name, events: [event('third', { n: n * 3 })], expectedRevision: 1n })));
        const absent = Array.from({ length: 30 }, (_, n) => streamName(`streams-wide-absent-${n}`));

        const read = await store.readStreams([...absent.slice(0, 15), ...[...written].reverse(), ...absent.slice(15)]);
        expect(read.size).toBe(written.length);
        written.forEach((name, n) => {
          const types = n % 3 === 0 ? ['first', 'second', 'third'] : ['first', 'second'];
          expect(read.get(name)!.map(({ type, streamName: of, streamRevision, data }) => ({ type, of, streamRevision, n: data['n'] }))).toEqual(
            types.map((type, revision) => ({ type, of: name, streamRevision: BigInt(revision), n })),
          );
        });
      }, 60_000);
    });

    describe('when a batch holds more streams than an adapter keeps in flight', () => {
      it('settles every append and reports the head of every stream written, none for the others', async () => {
        const written = Array.from({ length: 150 }, (_, n) => streamName(`wide-${n}`));
        const neverWritten = Array.from({ length: 150 }, (_, n) => streamName(`wide-absent-${n}`));
        const outcomes = await store.appendToStreams(written.map((name) => ({ streamName: name, events: [event('wide')], expectedRevision: 'no_stream' as const })));
        expect(outcomes.every((outcome) => outcome.status === 'fulfilled' && outcome.value.written && outcome.value.nextExpectedRevision === 0n)).toBe(true);

        const heads = await store.streamHeads([...neverWritten.slice(0, 75), ...written, ...neverWritten.slice(75)]);
        expect(heads.size).toBe(written.length);
        for (const name of written) expect(heads.get(name)).toEqual({ revision: 0n, lastEventType: 'wide' });
        expect(await store.readStream(neverWritten[0]!)).toEqual([]);
      }, 60_000);
    });

    describe('when reading', () => {
      it('records every event with its id, type, schema version, data, metadata, stream, revision, position and time', async () => {
        const stream = streamName('fields');
        const appended: EventToAppend = {
          id: randomUUID(),
          type: 'beneficiary-enrolled',
          schemaVersion: 2,
          data: { unitCode: '899', coefficient: 1500, nested: { list: [1, 'two', null] } },
          metadata: { actorId: 'op-1', actorRole: 'operator', correlationId: randomUUID() },
        };
        const before = Date.now();
        const result = await store.appendToStream(stream, [appended], 'no_stream');
        const [recorded] = await store.readStream(stream);
        expect(recorded).toMatchObject({
          id: appended.id,
          type: appended.type,
          schemaVersion: 2,
          data: appended.data,
          metadata: appended.metadata,
          streamName: stream,
          streamRevision: 0n,
          globalPosition: result.position,
        });
        expect(typeof recorded!.globalPosition).toBe('bigint');
        expect(recorded!.recordedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
        expect(recorded!.recordedAt.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
      });

      it('reads one stream forward from a revision', async () => {
        const stream = streamName('forward');
        await store.appendToStream(stream, [0, 1, 2, 3, 4].map((n) => event('numbered', { n })), 'no_stream');
        const tail = await store.readStream(stream, { fromRevision: 2n, maxCount: 2 });
        expect(tail.map((recorded) => [recorded.streamRevision, recorded.data.n])).toEqual([
          [2n, 2],
          [3n, 3],
        ]);
        expect(await store.readStream(streamName('missing'))).toEqual([]);
      });

      it('keeps one global order across streams, readable forward from a position', async () => {
        const [a, b] = [streamName('order-a'), streamName('order-b')];
        const start = await store.headPosition();
        await store.appendToStream(a, [event('first')], 'no_stream');
        await store.appendToStream(b, [event('second'), event('third')], 'no_stream');
        await store.appendToStream(a, [event('fourth')], 0n);

        const ours = (await store.readAll({ after: start })).filter((recorded) => recorded.streamName === a || recorded.streamName === b);
        expect(ours.map((recorded) => recorded.type)).toEqual(['first', 'second', 'third', 'fourth']);
        const positions = ours.map((recorded) => recorded.globalPosition);
        expect([...positions].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(positions);
        expect(new Set(positions).size).toBe(4);

        const afterSecond = await store.readAll({ after: ours[1]!.globalPosition, maxCount: 1 });
        expect(afterSecond[0]!.id).toBe(ours[2]!.id);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(ours[3]!.globalPosition);
      });
    });

    describe('when subscribed to the global log', () => {
      it('catches up, then goes live with no gap and no duplicate while appends continue', async () => {
        const stream = streamName('subscription');
        const start = await store.headPosition();
        const expected: string[] = [];
        for (let batch = 0; batch < 10; batch++) {
          const events = Array.from({ length: 5 }, (_, n) => event('caught-up', { batch, n }));
          expected.push(...events.map((e) => e.id));
          await store.appendToStream(stream, events, batch === 0 ? 'no_stream' : BigInt(batch * 5 - 1));
        }

        const subscription = store.subscribeToAll({ after: start });
        const received: RecordedEvent[] = [];
        let revision = 49n;
        const writer = (async () => {
          for (let batch = 0; batch < 20; batch++) {
            const events = Array.from({ length: 3 }, (_, n) => event('live', { batch, n }));
            expected.push(...events.map((e) => e.id));
            revision = (await store.appendToStream(stream, events, revision)).nextExpectedRevision;
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
        })();

        for await (const recorded of subscription) {
          if (recorded.streamName !== stream) continue;
          received.push(recorded);
          // A slow consumer: delivery must wait for it rather than drop or reorder.
          if (received.length % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
          if (received.length === 110) break;
        }
        await writer;
        await subscription.close();

        expect(received.map((recorded) => recorded.id)).toEqual(expected);
        expect(received.map((recorded) => recorded.streamRevision)).toEqual(received.map((_, index) => BigInt(index)));
      });
    });

    describe('when other processes append while a subscriber catches up and goes live', () => {
      it('delivers every event of every process once, in position order, with no gap', async () => {
        const local = streamName('several-local');
        const expected = new Map<string, bigint | undefined>();
        const start = await store.headPosition();
        let revision = -1n;
        const appendLocally = async (label: string, n: number) => {
          const recorded = event(label, { n });
          expected.set(recorded.id, undefined);
          revision = (await store.appendToStream(local, [recorded], revision < 0n ? 'no_stream' : revision)).nextExpectedRevision;
        };
        // Some to catch up on first.
        for (let n = 0; n < 5; n++) await appendLocally('before-subscribing', n);

        const ours = new Set([local]);
        const subscription = store.subscribeToAll({ after: start });
        const received: RecordedEvent[] = [];
        const PROCESSES_AT_ONCE = 4;
        const WAVES = 3;
        const total = 5 + 30 + PROCESSES_AT_ONCE * WAVES;
        const consuming = (async () => {
          for await (const recorded of subscription) {
            if (!ours.has(recorded.streamName)) continue;
            received.push(recorded);
            if (received.length === total) break;
          }
        })();

        const thisProcess = (async () => {
          for (let n = 0; n < 30; n++) {
            await appendLocally('live', n);
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        })();
        for (let wave = 0; wave < WAVES; wave++) {
          await Promise.all(
            Array.from({ length: PROCESSES_AT_ONCE }, async (_, child) => {
              const [stream, eventId] = [streamName(`several-child-${wave}-${child}`), randomUUID()];
              ours.add(stream);
              expected.set(eventId, undefined);
              expected.set(eventId, await appendFromChildProcess(harness, stream, eventId));
            }),
          );
        }
        await thisProcess;
        await consuming;
        await subscription.close();

        expect(received).toHaveLength(total);
        expect(new Set(received.map((recorded) => recorded.id))).toEqual(new Set(expected.keys()));
        const positions = received.map((recorded) => recorded.globalPosition);
        expect(positions.every((position, index) => index === 0 || position > positions[index - 1]!)).toBe(true);
        for (const recorded of received) {
          const reported = expected.get(recorded.id);
          if (reported !== undefined) expect(recorded.globalPosition).toBe(reported);
        }
        const localRevisions = received.filter((recorded) => recorded.streamName === local).map((recorded) => recorded.streamRevision);
        expect(localRevisions).toEqual(localRevisions.map((_, index) => BigInt(index)));
      }, 60_000);
    });

    describe('when the appending process dies the moment its append resolves', () => {
      it('still holds the event after the process is killed with SIGKILL', async () => {
        const stream = streamName('durable');
        const eventId = randomUUID();
        const reported = await appendFromChildProcess(harness, stream, eventId);

        const reopened = await harness.open();
        try {
          const stored = await reopened.readStream(stream);
          expect(stored.map((recorded) => recorded.id)).toEqual([eventId]);
          expect(stored[0]!.globalPosition).toBe(reported);
        } finally {
          await reopened.close();
        }
      }, 30_000);
    });
  });
}
