import { InvalidValue } from './domain-errors.js';

/**
 * Apostrophes as keyboards and word processors type them: ’ (U+2019, the "smart" one), ‘ (U+2018)
 * and ʼ (U+02BC). Bank systems print the ASCII ', so 'H’Hen Niê' and 'H'HEN NIE' are one name.
 */
const TYPOGRAPHIC_APOSTROPHES = /[\u2019\u2018\u02BC]/g;

/**
 * A name the way Vietnamese banks print it on an account: diacritics removed, Đ as D, upper-case,
 * apostrophes as ', single spaces. 'Đặng Thị Ánh' → 'DANG THI ANH'.
 */
export function bankPrintedName(name: string): string {
  return (
    name
      // Đ is a letter of its own, not D plus a mark, so NFD leaves it whole. U+00D0/U+00F0 (Ð ð) are
      // look-alikes some keyboards and OCR produce for it.
      .replace(/[ĐđÐð]/g, 'D')
      .replace(TYPOGRAPHIC_APOSTROPHES, "'")
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toUpperCase()
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** A spreadsheet runs a cell starting with = + - or @ as a formula. */
const READS_AS_FORMULA = /^[=+\-@]/;
/** Tab, carriage return, line feed and the other C0/C1 controls: some spreadsheets skip them before reading a formula, and no printed name holds one. */
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * An account holder's name goes into the bank's payment file exactly as recorded, because the bank
 * matches it character for character: it cannot be defused there (a leading `'` fails the match). So
 * the ledger never records one that a spreadsheet opening that file would read as a formula. Both
 * the name as given and as the bank prints it are checked: removing marks could expose a leading =.
 */
export function assertHolderNameCannotReadAsFormula(holderName: string, field = 'holderName'): void {
  if (CONTROL_CHARACTER.test(holderName) || READS_AS_FORMULA.test(holderName.trimStart()) || READS_AS_FORMULA.test(bankPrintedName(holderName))) {
    throw new InvalidValue(
      field,
      `${field} must not start with =, +, - or @ nor hold a tab, line break or other control character: a bank file carries it as written, and a spreadsheet would read it as a formula`,
      'HOLDER_NAME_READS_AS_FORMULA',
    );
  }
}

/** An account holder's name as entered: a full name (see `parseFullName`) that no spreadsheet could read as a formula. */
export function parseHolderName(raw: unknown, field = 'holderName'): string {
  if (typeof raw === 'string') assertHolderNameCannotReadAsFormula(raw, field);
  return parseFullName(raw, field);
}

/** Whether an account holder's name is the beneficiary's name as the bank would print it. */
export function holderNameMatches(holderName: string, beneficiaryFullName: string): boolean {
  const printed = bankPrintedName(holderName);
  return printed.length > 0 && printed === bankPrintedName(beneficiaryFullName);
}

const MAX_NAME_LENGTH = 100;
/** Letters of any script (with their combining marks), spaces, apostrophes (' ’ ‘; ʼ is a letter), hyphens, dots. */
const NAME_CHARACTERS = /^[\p{L}\p{M} '’‘.-]+$/u;
const HAS_LETTER = /\p{L}/u;

/**
 * A person's full name, trimmed, in NFC, with runs of whitespace made single spaces. Error messages
 * name the rule broken, never the name itself: it is personal data.
 */
export function parseFullName(raw: unknown, field = 'fullName'): string {
  if (typeof raw !== 'string') throw new InvalidValue(field, `${field} must be a string`);
  const name = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (name.length === 0) throw new InvalidValue(field, `${field} must not be empty`);
  if ([...name].length > MAX_NAME_LENGTH) {
    throw new InvalidValue(field, `${field} must be at most ${MAX_NAME_LENGTH} characters`);
  }
  if (!NAME_CHARACTERS.test(name) || !HAS_LETTER.test(name)) {
    throw new InvalidValue(field, `${field} may contain only letters, spaces, apostrophes, hyphens and dots`);
  }
  return name;
}
