import { currentCatalogue } from './catalogue.js';

/** The programs' codes, as the API is configured (the console names the ones it knows in its own languages). */
export function programCodes(): string[] {
  return currentCatalogue().programs.map((program) => program.code);
}
