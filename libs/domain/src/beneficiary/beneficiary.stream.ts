/** `beneficiary-<uuid>`: the id is derived from the national id, which never appears in the name. */
export const BENEFICIARY_CATEGORY = 'beneficiary';
export const beneficiaryStreamName = (beneficiaryId: string) => `${BENEFICIARY_CATEGORY}-${beneficiaryId}`;
