// The compiled API on the embedded SQLite store, killed with SIGKILL at a seeded random point while
// it writes, then restarted (the tests themselves: support/api-crash-suite.ts).
//   NODE_OPTIONS=--experimental-vm-modules npx jest test/crash/api-crash.int-spec.ts
import { describe } from '@jest/globals';
import { apiCrashTests } from './support/api-crash-suite.js';
import { sqliteTopology } from './support/crash-topology.js';

describe('the ledger API on the embedded SQLite store, killed with SIGKILL', () => {
  apiCrashTests(sqliteTopology);
});
