import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AdministrativeUnitCatalogue, ProgramCatalogue, type Catalogues } from '@ledger/domain';

/** Programs and administrative units are configuration: JSON files in LEDGER_CONFIG_DIR (default ./config). */
export function loadCatalogues(configDirectory = process.env.LEDGER_CONFIG_DIR ?? resolve('config')): Catalogues {
  const [programs, units] = ['programs.json', 'administrative-units.json'].map((file) => readFileSync(join(configDirectory, file), 'utf8')) as [string, string];
  return {
    programs: ProgramCatalogue.fromDefinitions(JSON.parse(programs) as unknown),
    units: AdministrativeUnitCatalogue.fromUnits(JSON.parse(units) as unknown),
    // Of the files as written: an edit that changes nothing only costs the next payroll rerun a full read.
    fingerprint: createHash('sha256').update(programs).update('\0').update(units).digest('base64url'),
  };
}
