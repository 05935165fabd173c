import { describeWhenAvailable } from './describe-when-available.js';

/**
 * Declares PostgreSQL tests. Without a reachable server they are reported as skipped, loudly, with
 * the reason; in CI (CI=true) they fail instead, because there a missing server is a broken build.
 */
export function describeWithPostgres(
  title: string,
  availability: { available: true } | { available: false; reason: string },
  body: () => void,
): void {
  describeWhenAvailable(
    title,
    {
      tests: 'PostgreSQL read-model tests',
      ciTestName: 'needs a reachable PostgreSQL (CI=true)',
      ciAdvice: 'CI must run the PostgreSQL read-model tests: start the server (.ci/run does) or set DATABASE_URL.',
      howToRun: 'Start PostgreSQL (e.g. `docker compose up -d postgres`) or set DATABASE_URL, and run again.',
      skippedTestName: 'needs PostgreSQL',
    },
    availability,
    body,
  );
}
