/**
 * Why a whole file cannot be read. Nothing in such a file is applied: a truncated statement or a
 * file of unknown shape could make any of its lines mean something else.
 */
export type FileErrorCode = 'UNKNOWN_FORMAT' | 'MALFORMED_FILE';

export class PaymentFileError extends Error {
  constructor(
    readonly code: FileErrorCode,
    message: string,
    /** The line the reader stopped at, when it knows it. */
    readonly lineNumber?: number,
  ) {
    super(lineNumber === undefined ? message : `${message} (line ${lineNumber})`);
    this.name = 'PaymentFileError';
  }
}
