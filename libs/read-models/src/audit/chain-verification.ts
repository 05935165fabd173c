import { ChainHasher, comparePositions, GENESIS_HASH, GENESIS_POSITION, type ChainFields } from './audit-chain.js';

/** One link of the chain as the projector recorded it (table `audit_chain`). */
export interface ChainLink {
  /** Decimal. */
  readonly position: string;
  /** Hex. */
  readonly hash: string;
}

/** A hash the recomputed chain must meet at a position: a digest an auditor kept. */
export interface ChainCheckpoint extends ChainLink {
  /** How the verdict names it: `digest`, `earlier`, `digests[2]`… */
  readonly label: string;
}

export type ChainDifference =
  /** The stored event hashes differently from when it was projected: its content was changed. */
  | 'EVENT_CHANGED'
  /** The recorded chain has a link at this position, the log no event: it was deleted. */
  | 'EVENT_MISSING'
  /** The log has an event the recorded chain skipped: it was inserted afterwards. */
  | 'EVENT_NOT_IN_RECORDED_CHAIN'
  /** The log up to the digest hashes differently from the digest, and the recorded chain was rewritten to match. */
  | 'DIGEST_MISMATCH'
  /** No event at the digest's position any more. */
  | 'DIGEST_POSITION_MISSING'
  /** The log matches every digest, but the recorded chain (table audit_chain) was changed here. */
  | 'RECORDED_CHAIN_CHANGED';

export type ChainVerdict =
  | { readonly ok: true; readonly position: string; readonly hash: string; readonly eventsChecked: number }
  | {
      readonly ok: false;
      readonly firstDifferingPosition: string;
      readonly reason: ChainDifference;
      /** The checkpoint that failed, for the digest reasons. */
      readonly checkpoint?: string;
      readonly detail: string;
      readonly eventsChecked: number;
    };

/**
 * A stretch of the log and of the recorded chain over the same range of positions: the events in
 * it and the recorded links in it. Pages come in position order and their ranges follow each other
 * without a gap, so that a link whose event is gone still arrives beside its neighbours.
 */
export interface ChainPage {
  readonly events: readonly ChainFields[];
  readonly links: readonly ChainLink[];
}

type Pages<T> = AsyncIterable<T> | Iterable<T>;

export interface VerifyChainInput {
  /** The log from `start` (the genesis by default) up to `upTo` at least, with its recorded chain. */
  readonly pages: Pages<ChainPage>;
  /** Hashes to meet; the walk stops at the highest, unless `upTo` says where. */
  readonly checkpoints: readonly ChainCheckpoint[];
  /** Where the walk stops; defaults to the highest checkpoint. */
  readonly upTo?: string;
  /** A link already proven, to continue from: its position and hash. Defaults to the genesis. */
  readonly start?: ChainLink;
  /**
   * The position of the recorded chain's last link. An event without a link before it was inserted
   * afterwards; one after it is only not projected yet. Without it, only a link that arrives after
   * the event in the same stretch says so.
   */
  readonly recordedHead?: string;
}

interface Difference {
  readonly position: string;
  readonly reason: ChainDifference;
  readonly detail: string;
  readonly checkpoint?: string;
}

/**
 * Recomputes the chain from the stored events and walks it beside the recorded chain, in position
 * order:
 *
 * - against the recorded chain, event by event: this names the exact position of a changed,
 *   deleted or inserted event;
 * - against each checkpoint (a digest) at its position: this proves the log unchanged even when
 *   whoever changed it also rewrote the recorded chain — then only the digest's position can be
 *   named, and an earlier digest narrows it down.
 *
 * A difference from the recorded chain alone does not yet say which side changed: the walk goes on
 * to the next checkpoint. If the recomputed chain meets it, the events are as they were when the
 * digest was taken (SHA-256 admits no practical second preimage), so it was the recorded chain that
 * was altered; if not, the log was, first at the position the recorded chain pointed to.
 */
export async function verifyChain({ pages, checkpoints, upTo: until, start, recordedHead }: VerifyChainInput): Promise<ChainVerdict> {
  const targets = [...checkpoints].sort((a, b) => comparePositions(a.position, b.position));
  const upTo = until ?? targets.at(-1)?.position;
  if (upTo === undefined) throw new Error('verifyChain needs a checkpoint or a position to stop at');
  /** Recorded links read and not yet walked past, oldest first. */
  let links: readonly ChainLink[] = [];
  let nextLink = 0;
  const hasher = new ChainHasher(start ? start.hash : GENESIS_HASH);
  let next = 0;
  let eventsChecked = 0;
  let head = start?.hash ?? GENESIS_HASH.toString('hex');
  let position = start?.position ?? GENESIS_POSITION;
  // Checkpoints at or before the start were proven with it.
  while (next < targets.length && comparePositions(targets[next]!.position, position) < 0) next++;
  /** The first difference from the recorded chain, until a checkpoint says which side changed. */
  let suspect: Difference | undefined;

  const verdictOf = (difference: Difference): ChainVerdict => ({
    ok: false,
    firstDifferingPosition: difference.position,
    reason: difference.reason,
    ...(difference.checkpoint ? { checkpoint: difference.checkpoint } : {}),
    detail: difference.detail,
    eventsChecked,
  });
  /** A checkpoint failed: the log changed, first where the recorded chain already pointed, if it did. */
  const logChanged = (atCheckpoint: Difference): ChainVerdict => verdictOf(suspect ?? atCheckpoint);
  const suspectRecordedChain = (difference: Difference) => {
    suspect ??= difference;
  };
  /** Checkpoints at the position just hashed. */
  const meetCheckpoints = (): ChainVerdict | undefined => {
    while (next < targets.length && targets[next]!.position === position) {
      const target = targets[next++]!;
      if (target.hash.toLowerCase() !== head) {
        return logChanged({
          position,
          reason: 'DIGEST_MISMATCH',
          checkpoint: target.label,
          detail: `The stored events up to position ${position} hash to ${head}, not to the ${target.label}'s ${target.hash}: the log up to there was changed after the ${target.label} was taken (and the recorded chain recomputed to hide it), or the ${target.label} is not this ledger's.`,
        });
      }
      if (suspect) {
        return verdictOf({
          ...suspect,
          reason: 'RECORDED_CHAIN_CHANGED',
          detail: `The stored events match the ${target.label} at position ${position}, so the log is unchanged up to there, but the recorded chain (audit_chain) differs from it at position ${suspect.position}: the read model was altered; rebuild it.`,
        });
      }
    }
    return undefined;
  };
  /** A checkpoint before `until` (or any left, without `until`) that no event met. */
  const skippedCheckpoint = (until: string | undefined): ChainVerdict | undefined => {
    const target = targets[next];
    if (target && (until === undefined || comparePositions(target.position, until) < 0)) {
      return logChanged({
        position: target.position,
        reason: 'DIGEST_POSITION_MISSING',
        checkpoint: target.label,
        detail: `The log has no event at position ${target.position}, where the ${target.label} was taken: it was deleted.`,
      });
    }
    return undefined;
  };
  const missing = (at: string): Difference => ({
    position: at,
    reason: 'EVENT_MISSING',
    detail: `The recorded chain has an event at position ${at} that the log no longer holds: it was deleted.`,
  });

  const atGenesis = meetCheckpoints();
  if (atGenesis) return atGenesis;

  walk: for await (const page of pages) {
    // Links left over from the page before (their events are gone) stay ahead of this page's.
    links = nextLink >= links.length ? page.links : [...links.slice(nextLink), ...page.links];
    nextLink = 0;
    for (const fields of page.events) {
      const eventPosition = fields[0];
      if (comparePositions(eventPosition, upTo) > 0) break walk;
      const skipped = skippedCheckpoint(eventPosition);
      if (skipped) return skipped;

      let link = links[nextLink];
      while (link && comparePositions(link.position, eventPosition) < 0) {
        suspectRecordedChain(missing(link.position));
        link = links[++nextLink];
      }

      head = hasher.nextHex(fields);
      position = eventPosition;
      eventsChecked++;

      if (link && link.position === eventPosition) {
        if (link.hash !== head) {
          suspectRecordedChain({
            position,
            reason: 'EVENT_CHANGED',
            detail: `The event at position ${position} is not the one the chain recorded: its stored content was changed.`,
          });
        }
        nextLink++;
      } else if (link || (recordedHead !== undefined && comparePositions(eventPosition, recordedHead) < 0)) {
        suspectRecordedChain({
          position,
          reason: 'EVENT_NOT_IN_RECORDED_CHAIN',
          detail: `The log holds an event at position ${position} that the recorded chain skipped: it was inserted afterwards.`,
        });
      }
      const met = meetCheckpoints();
      if (met) return met;
    }
  }

  const link = links[nextLink];
  if (link && comparePositions(link.position, upTo) <= 0) {
    suspectRecordedChain(missing(link.position));
  }
  const skipped = skippedCheckpoint(undefined);
  if (skipped) return skipped;
  // No checkpoint came after it to say which side changed: the caller has more of the walk to do.
  if (suspect) return verdictOf(suspect);
  // Every checkpoint was met exactly (a skipped one was reported above).
  return { ok: true, position, hash: head, eventsChecked };
}
