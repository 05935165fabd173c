// The compiled API as production runs it on PostgreSQL — the log, the read models and the
// idempotency records in one database, the projector in a process of its own — killed with SIGKILL
// at a seeded random point while it writes, then restarted (the tests: support/api-crash-suite.ts).
//   NODE_OPTIONS=--experimental-vm-modules npx jest test/crash/api-crash-postgres.int-spec.ts
import { describeWithPostgres } from '../../libs/read-models/src/testing/describe-with-postgres.js';
import { postgresAvailability } from '../../libs/read-models/src/testing/postgres-scratch.js';
import { apiCrashTests } from './support/api-crash-suite.js';
import { postgresTopology } from './support/crash-topology.js';

describeWithPostgres('the ledger API on PostgreSQL, killed with SIGKILL', await postgresAvailability(), () => {
  apiCrashTests(postgresTopology);
});
