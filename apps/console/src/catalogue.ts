/**
 * The administrative units and programs the API is configured with, read once at start from
 * /console/catalogue.json (served beside the console): the names shown for codes, the units an
 * operator may pick. Without it (an API that does not answer it) codes are shown as they are.
 */
export interface Catalogue {
  readonly units: ReadonlyArray<{ readonly code: string; readonly name: string; readonly parentCode: string | null }>;
  readonly programs: ReadonlyArray<{ readonly code: string; readonly name: string }>;
}

let catalogue: Catalogue = { units: [], programs: [] };

export async function loadCatalogue(): Promise<void> {
  try {
    const response = await fetch('/console/catalogue.json');
    if (response.ok) catalogue = (await response.json()) as Catalogue;
  } catch {
    // Codes then stand for themselves.
  }
}

export function currentCatalogue(): Catalogue {
  return catalogue;
}
