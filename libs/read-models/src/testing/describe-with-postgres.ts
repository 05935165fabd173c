import { describe, it } from '@jest/globals';

/**
 * Declares PostgreSQL tests. Without a reachable server they are reported as skipped, loudly, with
 * the reason; in CI (CI=true) they fail instead, because there a missing server is a broken build.
 */
export function describeWithPostgres(
  title: string,
  availability: { available: true } | { available: false; reason: string },
  body: () => void,
): void {
  if (availability.available) {
    describe(title, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(title, () => {
      it('needs a reachable PostgreSQL (CI=true)', () => {
        throw new Error(`${availability.reason}. CI must run the PostgreSQL read-model tests: start the server (.ci/run does) or set DATABASE_URL.`);
      });
    });
    return;
  }
  // Straight to stderr: Jest swallows console output of a suite that runs no test.
  process.stderr.write(
    `\n!! PostgreSQL read-model tests SKIPPED (${title}): ${availability.reason}.\n` +
      '!! Start PostgreSQL (e.g. `docker compose up -d postgres`) or set DATABASE_URL, and run again.\n\n',
  );
  describe.skip(title, () => {
    it.skip(`needs PostgreSQL: ${availability.reason}`, () => undefined);
  });
}
