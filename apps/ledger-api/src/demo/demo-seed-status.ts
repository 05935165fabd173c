import { beneficiaryStreamName, uuidV5 } from '@ledger/domain';
import { firstLedgerEvent, readDomainStream, type EventStore } from '@ledger/event-store';
import { DEMO_NAMESPACE, featuredPersons, type BeneficiaryIdDerivation, type DemoPerson } from './demo-province.js';

// Apart from the seed itself (seed-demo.ts) and its command handlers: main.ts reads the status, and
// starts the seed, before it loads Nest and the rest of the API.

export type DemoSeedStatus =
  /** No event at all: the demo may be seeded. */
  | { readonly status: 'EMPTY' }
  /** A demo seed began and did not finish: seeding again (at its scale) finishes it, writing nothing twice. */
  | { readonly status: 'UNFINISHED'; readonly scale: number }
  | { readonly status: 'SEEDED'; readonly scale: number }
  /** The store holds someone's real work: never seed into it. */
  | { readonly status: 'OTHER_DATA' };

const KEY_PREFIX = 'kien-giang-demo';
/** Idempotency keys start `kien-giang-demo@<scale>/`: a seed being finished reads its scale back from them. */
const KEY_OF_SCALE = /^kien-giang-demo@(\d+(?:\.\d+)?)\//;

/**
 * Whether the store is empty, holds the demo (finished or not, and at which scale) or anything
 * else. The store's own settings (how it derives ids) do not count: they are recorded before the
 * seed. The demo's first event carries its go-live correlation id and its scale in its idempotency
 * key; its last command is the late report of the featured death, so the demo is SEEDED once that
 * termination is in the featured person's stream.
 */
export async function demoSeedStatus(store: EventStore, beneficiaryIds: BeneficiaryIdDerivation): Promise<DemoSeedStatus> {
  const first = await firstLedgerEvent(store);
  if (!first) return { status: 'EMPTY' };
  const scale = KEY_OF_SCALE.exec(String(first.metadata.idempotencyKey ?? ''))?.[1];
  if (first.metadata.correlationId !== correlationIdOf('go-live') || scale === undefined) return { status: 'OTHER_DATA' };
  const lastReported = featuredPersons(beneficiaryIds).deceasedReportedLate;
  const finalKey = idempotencyKeyOf(Number(scale), finalStepKey(lastReported));
  const { recorded } = await readDomainStream(store, beneficiaryStreamName(lastReported.beneficiaryId));
  const seeded = recorded.some((event) => event.metadata.idempotencyKey === finalKey);
  return { status: seeded ? 'SEEDED' : 'UNFINISHED', scale: Number(scale) };
}

export const correlationIdOf = (step: string) => uuidV5(`${KEY_PREFIX}/correlation/${step}`, DEMO_NAMESPACE);
export const idempotencyKeyOf = (scale: number, key: string) => `${KEY_PREFIX}@${scale}/${key}`;
/** Every termination's key; the featured late-reported death's is the demo's last. */
export const finalStepKey = (person: DemoPerson) => `march/terminate/${person.beneficiaryId}`;
