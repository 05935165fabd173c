/** Taken before a settlement is recorded, in the reference's own stream: a reference pays one disbursement only. */
export type ProviderReferenceCommand = {
  readonly type: 'ClaimProviderReference';
  readonly data: { readonly payingAgent: string; readonly providerReference: string; readonly disbursementId: string };
};
