import type { Catalogues } from '@ledger/domain';

/** Where the console reads the names it shows for unit codes and program codes. */
export const CONSOLE_CATALOGUE_PATH = '/console/catalogue.json';

export interface ConsoleCatalogue {
  readonly units: ReadonlyArray<{ readonly code: string; readonly name: string; readonly parentCode: string | null }>;
  readonly programs: ReadonlyArray<{ readonly code: string; readonly name: string }>;
}

/**
 * The administrative units and programs the API is configured with (LEDGER_CONFIG_DIR), as labels
 * for the console: public reference data, nothing personal. Read from the running API rather than
 * built into the console, so the names shown are the ones the API itself works with.
 */
export function consoleCatalogue({ units, programs }: Catalogues): ConsoleCatalogue {
  return {
    units: units.codes().map((code) => {
      const unit = units.get(code);
      return { code, name: unit.name, parentCode: unit.parentCode };
    }),
    programs: programs.codes().map((code) => ({ code, name: programs.get(code).name })),
  };
}
