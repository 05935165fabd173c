import type { Gender, LocalDate } from '@ledger/domain';
import type { IdentityCheckPerson } from '@ledger/payment-files';
import type { AccessLog, ReadModelQueries } from '@ledger/read-models';
import { accessRecordsOf } from '../platform/access-log/records-personal-data-access.js';
import { problemException, type LedgerRequest } from '../platform/index.js';

export type PersonToCheck = IdentityCheckPerson & { readonly beneficiaryId: string };

const PAGE = 1000;

/**
 * Everyone registered in these units (every unit when undefined), as the population database is
 * asked to confirm them: from the register's read model, which holds the national id, name, date
 * of birth and gender as enrolled. A person whose enrollments all ended is still asked about: a
 * terminated person may be owed months yet, or be enrolled again.
 */
export async function peopleToCheck(queries: ReadModelQueries, units: readonly string[] | undefined): Promise<PersonToCheck[]> {
  const people: PersonToCheck[] = [];
  for (let after: string | undefined; ; ) {
    const page = await queries.beneficiaries({ units, after, limit: PAGE });
    for (const row of page.items) {
      people.push({ beneficiaryId: row.beneficiary_id, nationalId: row.national_id, fullName: row.full_name, dateOfBirth: row.date_of_birth as LocalDate, gender: row.gender as Gender });
    }
    if (page.next === null) return people;
    after = page.next;
  }
}

/**
 * The file is an answer a JSON path cannot name people in, so the route records its reads itself,
 * as @RecordsPersonalDataAccess does: one record per person in the file, durable before the file
 * leaves, and no file at all when they cannot be recorded.
 */
export async function recordRequestFileRead(accessLog: AccessLog, request: LedgerRequest, people: readonly PersonToCheck[]): Promise<void> {
  const records = accessRecordsOf({ beneficiaryFrom: 'response', field: 'people[].beneficiaryId' }, request, { people });
  try {
    await accessLog.record(records);
  } catch {
    throw problemException(503, 'ACCESS_LOG_UNAVAILABLE', 'The read could not be recorded in the access log, so it is not answered; try again shortly.');
  }
}
