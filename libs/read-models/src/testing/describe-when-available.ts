import { describe, it } from '@jest/globals';

/** A real component some tests need (a database server, a browser), and what to say when it is missing. */
export interface Requirement {
  /** How the skipped run and the failing CI test name it: `PostgreSQL read-model tests`. */
  readonly tests: string;
  /** The test that fails in CI: `needs a reachable PostgreSQL (CI=true)`. */
  readonly ciTestName: string;
  /** Appended to the reason when CI fails: what CI must do to run them. */
  readonly ciAdvice: string;
  /** The line telling a developer how to run them. */
  readonly howToRun: string;
  /** The skipped test's name, before the reason: `needs PostgreSQL`. */
  readonly skippedTestName: string;
}

/**
 * Declares tests that need a real component. Without it they are reported as skipped, loudly, with
 * the reason; in CI (CI=true) they fail instead, because there a missing component is a broken build.
 */
export function describeWhenAvailable(
  title: string,
  requirement: Requirement,
  availability: { available: true } | { available: false; reason: string },
  body: () => void,
): void {
  if (availability.available) {
    describe(title, body);
    return;
  }
  const { reason } = availability;
  if (process.env.CI === 'true') {
    describe(title, () => {
      it(requirement.ciTestName, () => {
        throw new Error(`${reason}. ${requirement.ciAdvice}`);
      });
    });
    return;
  }
  // Straight to stderr: Jest swallows console output of a suite that runs no test.
  process.stderr.write(`\n!! ${requirement.tests} SKIPPED (${title}): ${reason}.\n!! ${requirement.howToRun}\n\n`);
  describe.skip(title, () => {
    it.skip(`${requirement.skippedTestName}: ${reason}`, () => undefined);
  });
}
