import { uuidV5 } from '../shared/index.js';

export const DISBURSEMENT_CATEGORY = 'disbursement';
/** Fixed namespace: the disbursement id of a (beneficiary, program, period) never changes. */
export const DISBURSEMENT_NAMESPACE = '5b0c6a52-3f4e-5d3a-9a7e-1c2b3d4e5f60';

/**
 * One stream per (beneficiary, program, period). Scheduling appends to it with "no stream"
 * expected, so a second disbursement for the same month cannot be written by any route.
 */
export const disbursementIdFor = (beneficiaryId: string, program: string, period: string) =>
  uuidV5(`${beneficiaryId}/${program}/${period}`, DISBURSEMENT_NAMESPACE);
export const disbursementStreamName = (disbursementId: string) => `${DISBURSEMENT_CATEGORY}-${disbursementId}`;
