import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AdministrativeUnitCatalogue, ProgramCatalogue, type Catalogues } from '@ledger/domain';

/** The catalogues in the repository's config/, as the service loads them by default. */
export function configCatalogues(): Catalogues {
  const read = (file: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../../config/${file}`, import.meta.url)), 'utf8')) as unknown;
  return { programs: ProgramCatalogue.fromDefinitions(read('programs.json')), units: AdministrativeUnitCatalogue.fromUnits(read('administrative-units.json')) };
}
