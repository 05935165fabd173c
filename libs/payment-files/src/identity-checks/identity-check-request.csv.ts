import type { Gender, LocalDate } from '@ledger/domain';
import { csvText } from '../shared/csv.js';

/** A person as the population database is asked to confirm them. */
export interface IdentityCheckPerson {
  readonly nationalId: string;
  readonly fullName: string;
  readonly dateOfBirth: LocalDate;
  readonly gender: Gender;
}

export const IDENTITY_CHECK_REQUEST_COLUMNS = ['national_id', 'full_name', 'date_of_birth', 'gender'] as const;

/**
 * The request file for the population database's data-matching service: one person a line, with
 * the header row, UTF-8 with a byte-order mark (officers open it in Excel before sending it), CRLF.
 * Names are written in NFC, exactly as registered; dates as YYYY-MM-DD; gender as MALE or FEMALE.
 */
export function identityCheckRequestCsv(people: readonly IdentityCheckPerson[]): string {
  const rows = people.map((person) => {
    if (!/^\d{12}$/.test(person.nationalId)) throw new RangeError('A national id is 12 digits');
    return [person.nationalId, person.fullName.normalize('NFC'), person.dateOfBirth, person.gender];
  });
  return csvText(IDENTITY_CHECK_REQUEST_COLUMNS, rows, { forPeople: true });
}
