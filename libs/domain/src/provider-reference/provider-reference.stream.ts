import { uuidV5 } from '../shared/index.js';

export const PROVIDER_REFERENCE_CATEGORY = 'provider-reference';
/** Fixed namespace: a (paying agent, reference) pair always names the same stream. */
export const PROVIDER_REFERENCE_NAMESPACE = '6ecd7453-5a6e-4915-970a-62a6d7293fec';

/**
 * One stream per reference and paying agent (a bank code, or POST_OFFICE): two banks may issue the
 * same reference, one bank never for two payments. Claiming appends to it, so two disbursements
 * settled under one reference at the same moment cannot both take it.
 */
export const providerReferenceIdFor = (payingAgent: string, providerReference: string) => uuidV5(`${payingAgent}/${providerReference}`, PROVIDER_REFERENCE_NAMESPACE);
export const providerReferenceStreamName = (providerReferenceId: string) => `${PROVIDER_REFERENCE_CATEGORY}-${providerReferenceId}`;
