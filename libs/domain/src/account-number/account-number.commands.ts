/**
 * Kept with every payment account that opens or closes, so that opening one can tell whether the
 * same number at the same bank is already open for somebody else.
 */
export type AccountNumberCommand =
  | { readonly type: 'ClaimAccountNumber'; readonly data: { readonly beneficiaryId: string; readonly accountId: string } }
  | { readonly type: 'ReleaseAccountNumber'; readonly data: { readonly beneficiaryId: string; readonly accountId: string } };
