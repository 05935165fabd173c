import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { comparePositions, GENESIS_HASH, GENESIS_POSITION } from './audit-chain.js';
import type { ChainChunkResult, ChainChunkTask } from './chain-worker.js';
import { verifyChain, type ChainCheckpoint, type ChainLink, type ChainVerdict } from './chain-verification.js';
import { spawnSiblingWorker } from './sibling-worker.js';
import { sqliteChainPages, sqliteRecordedLink } from './sqlite-chain-pages.js';

export interface ParallelVerificationOptions {
  /** Threads re-hashing chunks at once; defaults to the machine's parallelism (at most 8). */
  readonly workers?: number;
  /** Links per chunk; below two chunks' worth the walk stays on this thread. */
  readonly chunkLinks?: number;
  /** Rows read at a time. */
  readonly pageSize?: number;
}

/**
 * The chain verified by several threads at once, for the embedded SQLite ledger (events and
 * recorded chain in one file). The chain itself is sequential, but checking it is not: each link
 * can be re-hashed from its stored event and the recorded link before it, chunk by chunk in
 * parallel. If every link of the recorded chain holds, then by induction from the genesis the
 * recorded chain IS the chain recomputed from the stored events, and the digests are compared with
 * it. The result is exactly the sequential walk's: the first chunk that fails is walked again on
 * this thread, from its first link (proven by the chunk before it), up to the digests, which decides
 * as verifyChain does which side changed.
 */
export async function verifySqliteChainInParallel(
  db: Database.Database,
  checkpoints: readonly ChainCheckpoint[],
  { workers = Math.min(availableParallelism(), 8), chunkLinks = 50_000, pageSize }: ParallelVerificationOptions = {},
): Promise<ChainVerdict> {
  const targets = [...checkpoints].sort((a, b) => comparePositions(a.position, b.position));
  const upTo = targets.at(-1)!.position;
  const genesis: ChainLink = { position: GENESIS_POSITION, hash: GENESIS_HASH.toString('hex') };
  const recordedHead = sqliteRecordedLink(db)?.position;
  const linkAtOrBefore = (position: bigint) => sqliteRecordedLink(db, position);
  const last = linkAtOrBefore(BigInt(upTo));
  const links = last ? db.prepare<[string], [number]>('SELECT COUNT(*) FROM audit_chain WHERE audit_chain.position <= ?').raw(true).get(last.position)![0] : 0;
  const chunks = Math.ceil(links / chunkLinks);

  let proven = genesis;
  let eventsProven = 0;
  if (workers > 1 && chunks > 1) {
    // Chunk ends: recorded links at evenly spread positions (SQLite positions are dense row ids).
    const end = BigInt(last!.position);
    const bounds: ChainLink[] = [];
    for (let chunk = 1; chunk <= chunks; chunk++) {
      const bound = linkAtOrBefore((end * BigInt(chunk)) / BigInt(chunks))!;
      if (bounds.length === 0 || bounds.at(-1)!.position !== bound.position) bounds.push(bound);
    }
    const tasks = bounds.map(
      (bound, index): ChainChunkTask => ({ id: index, file: db.name, start: index === 0 ? genesis : bounds[index - 1]!, upTo: bound.position, ...(recordedHead ? { recordedHead } : {}), ...(pageSize ? { pageSize } : {}) }),
    );
    const verdicts = await runOnWorkers(tasks, Math.min(workers, tasks.length));
    // The chain is proven up to the end of the last chunk of an unbroken run of good ones.
    for (const [index, verdict] of verdicts.entries()) {
      if (!verdict.ok) break;
      proven = bounds[index]!;
      eventsProven += verdict.eventsChecked;
    }
  }

  // Digests before the proven link meet the recorded chain, which is the recomputed one there.
  const recordedAt = db.prepare<[string], [string]>('SELECT hash FROM audit_chain WHERE audit_chain.position = ?').raw(true);
  for (const target of targets) {
    if (comparePositions(target.position, proven.position) >= 0) break;
    const hash = target.position === GENESIS_POSITION ? genesis.hash : recordedAt.get(target.position)?.[0];
    if (hash === undefined) {
      return { ok: false, firstDifferingPosition: target.position, reason: 'DIGEST_POSITION_MISSING', checkpoint: target.label, detail: `The log has no event at position ${target.position}, where the ${target.label} was taken: it was deleted.`, eventsChecked: eventsProven };
    }
    if (hash !== target.hash.toLowerCase()) {
      return {
        ok: false,
        firstDifferingPosition: target.position,
        reason: 'DIGEST_MISMATCH',
        checkpoint: target.label,
        detail: `The stored events up to position ${target.position} hash to ${hash}, not to the ${target.label}'s ${target.hash}: the log up to there was changed after the ${target.label} was taken (and the recorded chain recomputed to hide it), or the ${target.label} is not this ledger's.`,
        eventsChecked: eventsProven,
      };
    }
  }

  // The rest (all of it on one thread, or after a chunk that failed, or past the recorded chain) walks on.
  const range = { after: BigInt(proven.position), upTo: BigInt(upTo), ...(pageSize ? { pageSize } : {}) };
  const rest = await verifyChain({ pages: sqliteChainPages(db, range), checkpoints: targets, upTo, start: proven, ...(recordedHead ? { recordedHead } : {}) });
  return { ...rest, eventsChecked: rest.eventsChecked + eventsProven };
}

/** A small pool: each worker takes the next chunk as it finishes one. Answers in the tasks' order. */
async function runOnWorkers(tasks: readonly ChainChunkTask[], size: number): Promise<ChainVerdict[]> {
  const verdicts: ChainVerdict[] = new Array(tasks.length);
  const pool = Array.from({ length: size }, () => spawnSiblingWorker(import.meta.url, 'chain-worker'));
  let next = 0;
  try {
    await Promise.all(
      pool.map(async (worker) => {
        while (next < tasks.length) {
          const task = tasks[next++]!;
          verdicts[task.id] = await ask(worker, task);
        }
      }),
    );
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return verdicts;
}

function ask(worker: Worker, task: ChainChunkTask): Promise<ChainVerdict> {
  return new Promise((resolve, reject) => {
    const onMessage = (result: ChainChunkResult) => {
      if (result.id !== task.id) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      if ('error' in result) reject(new Error(`Chain verification worker failed: ${result.error}`));
      else resolve(result.verdict);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.postMessage(task);
  });
}
