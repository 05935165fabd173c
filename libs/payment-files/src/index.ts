// Payment files out and results in: pure format and parse, no I/O beyond reading the shipped fonts.
export * from './shared/end-to-end-id.js';
export * from './shared/file-error.js';
export * from './shared/vnd-amount.js';
export * from './shared/write-csv.js';
export * from './bank-payment-file/pain001-payment-file.js';
export * from './results/result-file.js';
export * from './results/result-file.parser.js';
export * from './results/pain002-status-report.builder.js';
export * from './results/camt-statement.builder.js';
export * from './results/mt940-statement.builder.js';
export { bankResultsCsv, BANK_RESULTS_COLUMNS } from './results/bank-results-csv.js';
export { postOfficeReturnsCsv, POST_OFFICE_RETURNS_COLUMNS } from './results/post-office-returns-csv.js';
export * from './cash-list/amount-in-vietnamese-words.js';
export * from './cash-list/post-office-cash-list.pdf.js';
export * from './identity-checks/identity-check-request.csv.js';
export * from './identity-checks/identity-check-answers.csv.js';
