import { describeWhenAvailable } from '../../../read-models/src/testing/describe-when-available.js';

/** Declares tests that need NATS with JetStream: skipped loudly without it, failed in CI. */
export function describeWithNats(title: string, availability: { available: true } | { available: false; reason: string }, body: () => void): void {
  describeWhenAvailable(
    title,
    {
      tests: 'NATS JetStream tests',
      ciTestName: 'needs a reachable NATS server with JetStream (CI=true)',
      ciAdvice: 'CI must run the NATS tests: start nats-server with JetStream (.ci/run does) or set NATS_URL.',
      howToRun: 'Start nats-server with JetStream (`nats-server -js`) or set NATS_URL, and run again.',
      skippedTestName: 'needs NATS with JetStream',
    },
    availability,
    body,
  );
}
