import type { Catalogues } from '@ledger/domain';
import { PROVINCE_CODE } from '@ledger/integration-events';
import { ConfigurationError, type NationalLinkConfig } from '../config/ledger-config.js';

/**
 * The province this ledger pays for: LEDGER_PROVINCE_CODE, or the one top-level unit of the
 * administrative-unit catalogue. Integration events carry it, and the hub sends findings back on
 * its subject, so it must be the code the ministry knows the province by.
 */
export function provinceCodeOf(link: NationalLinkConfig, catalogues: Catalogues): string {
  const topLevel = catalogues.units.codes().filter((code) => catalogues.units.get(code).parentCode === null);
  const code = link.provinceCode ?? (topLevel.length === 1 ? topLevel[0] : undefined);
  if (code === undefined) {
    throw new ConfigurationError(`LEDGER_PROVINCE_CODE must be set: the administrative-unit catalogue has ${topLevel.length} top-level units (${topLevel.join(', ')}), so which province this is cannot be told from it.`);
  }
  if (!PROVINCE_CODE.test(code)) throw new ConfigurationError(`The province code ${JSON.stringify(code)} must be 2 or 3 digits: it names the province on NATS subjects.`);
  if (!topLevel.includes(code)) throw new ConfigurationError(`LEDGER_PROVINCE_CODE ${code} is not a top-level unit of the administrative-unit catalogue (${topLevel.join(', ')}).`);
  return code;
}
