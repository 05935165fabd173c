/**
 * The demo's only source of chance: mulberry32, a 32-bit seeded PRNG. The same seed always gives
 * the same province, so two fresh demos hold the same people, ids and payment history.
 */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A generator of its own for each named thing (a disbursement, a person), independent of the order things are visited in. */
export function randomFor(name: string): Random {
  // FNV-1a, 32 bits.
  let hash = 0x811c9dc5;
  for (let index = 0; index < name.length; index++) {
    hash ^= name.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return mulberry32(hash);
}

export function integerBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pickOne<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** One of `choices`, each as likely as its weight. */
export function pickWeighted<T>(random: Random, choices: ReadonlyArray<readonly [T, number]>): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = random() * total;
  for (const [choice, weight] of choices) {
    draw -= weight;
    if (draw < 0) return choice;
  }
  return choices.at(-1)![0];
}

export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

/**
 * Exactly `count` of `items`, each drawn with a chance that grows with its weight (weight 0: never).
 * Efraimidis–Spirakis: the smallest exponential keys -ln(u)/w win. Exact counts are the point:
 * the demo's published figures must come out to the unit.
 */
export function sampleWeighted<T>(random: Random, items: readonly T[], count: number, weightOf: (item: T) => number): T[] {
  const keyed = items.flatMap((item) => {
    const weight = weightOf(item);
    return weight > 0 ? [{ item, key: -Math.log(1 - random()) / weight }] : [];
  });
  if (keyed.length < count) throw new Error(`The demo needs ${count} candidates but only ${keyed.length} qualify`);
  return keyed
    .sort((a, b) => a.key - b.key)
    .slice(0, count)
    .map(({ item }) => item);
}
