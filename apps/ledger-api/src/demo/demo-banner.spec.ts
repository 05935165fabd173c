import { describe, expect, it } from '@jest/globals';
import { legacyBeneficiaryIdFor, type NationalId } from '@ledger/domain';
import { BeneficiaryIds } from '../ledger/beneficiary-ids.js';
import { LedgerIdentifiers } from '../ledger/ledger-identifiers.js';
import { AccessTokens } from '../platform/auth/access-tokens.js';
import { demoBanner } from './demo-banner.js';

const tokens = new AccessTokens('demo-banner-spec-secret-0123456789abcdef');
const config = { dataDirectory: 'data', jwtSecret: undefined, eventStoreConnectionString: undefined };
const seeded = { status: 'SEEDED', scale: 1 } as const;
const tai = '091052000123' as NationalId;

describe('the demo banner', () => {
  describe('when the demo is seeded in a store with keyed ids', () => {
    it("names the featured people by this store's ids, never the public-namespace ones", async () => {
      const identifiers = new LedgerIdentifiers('demo-banner-spec-identifier-key-0123456789');
      const banner = await demoBanner({ url: 'http://127.0.0.1:3000', config, tokens, demo: seeded, beneficiaryIds: BeneficiaryIds.keyed(identifiers) });
      expect(banner).toContain(`beneficiaryId=${identifiers.beneficiaryIdFor(tai)}`);
      expect(banner).not.toContain(legacyBeneficiaryIdFor(tai));
    });
  });

  describe('when the demo was seeded by an earlier version (public-namespace ids)', () => {
    it('names the featured people by the ids that store gave them', async () => {
      const banner = await demoBanner({ url: 'http://127.0.0.1:3000', config, tokens, demo: seeded, beneficiaryIds: BeneficiaryIds.legacy() });
      expect(banner).toContain(`beneficiaryId=${legacyBeneficiaryIdFor(tai)}`);
    });
  });

  it('hands out tokens the API accepts, one per role', async () => {
    const banner = await demoBanner({ url: 'http://127.0.0.1:3000', config, tokens, demo: seeded, beneficiaryIds: BeneficiaryIds.legacy() });
    const minted = [...banner.matchAll(/^export (LAN|MINH|AUDITOR|REPORTER|ADMIN)=(\S+)/gm)].map((match) => match[2]!);
    expect(minted).toHaveLength(5);
    for (const token of minted) await expect(tokens.verify(token)).resolves.toMatchObject({ userId: expect.any(String) });
  });
});
