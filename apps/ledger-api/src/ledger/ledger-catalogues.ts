import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AdministrativeUnitCatalogue, ProgramCatalogue, type Catalogues } from '@ledger/domain';

/** Programs and administrative units are configuration: JSON files in LEDGER_CONFIG_DIR (default ./config). */
export function loadCatalogues(configDirectory = process.env.LEDGER_CONFIG_DIR ?? resolve('config')): Catalogues {
  const read = (file: string) => JSON.parse(readFileSync(join(configDirectory, file), 'utf8')) as unknown;
  return {
    programs: ProgramCatalogue.fromDefinitions(read('programs.json')),
    units: AdministrativeUnitCatalogue.fromUnits(read('administrative-units.json')),
  };
}
