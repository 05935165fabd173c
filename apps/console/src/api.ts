import type { ProblemDetails } from '@ledger/api-client';

/** A refusal of the API, as problem details; the console shows its `detail` and each field's error beside its field. */
export class ApiProblem extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail);
    this.name = 'ApiProblem';
  }

  /** The API's message for one field (`decision.number`), if it refused that field. */
  fieldError(field: string): string | undefined {
    return this.problem.errors?.find((error) => error.field === field)?.message;
  }
}

let lastWritten: bigint | undefined;

/**
 * The API's read models follow its log a moment behind. After a command, the console's reads carry
 * the position it answered (`X-Min-Position`), so the screen shows what was just done.
 */
export function rememberPosition(position: string | null | undefined): void {
  if (!position || !/^\d+$/.test(position)) return;
  const written = BigInt(position);
  if (lastWritten === undefined || written > lastWritten) lastWritten = written;
}

export function minPosition(): string | undefined {
  return lastWritten?.toString();
}

/** The data of a typed call, or its refusal thrown as an ApiProblem (TanStack Query shows it). */
export async function ok<Data>(call: Promise<{ data?: Data; error?: unknown; response: Response }>): Promise<Data> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw new ApiProblem(asProblem(error, response));
  if (data && typeof data === 'object' && 'position' in data) rememberPosition((data as { position?: string | null }).position);
  return data as Data;
}

function asProblem(error: unknown, response: Response): ProblemDetails {
  if (error && typeof error === 'object' && 'code' in error && 'detail' in error) return error as ProblemDetails;
  return { status: response.status, code: `HTTP_${response.status}`, title: response.statusText, detail: typeof error === 'string' ? error : response.statusText, type: 'about:blank' };
}

/**
 * A fresh Idempotency-Key for one action of a person: a form keeps it across retries of the same
 * submission, so a second click after a lost answer never does the thing twice. Built from
 * getRandomValues, which, unlike randomUUID, also works on a plain-HTTP address.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Hands a downloaded file to the browser under a name. */
export function saveFile(content: Blob, fileName: string): void {
  const url = URL.createObjectURL(content);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file the API answered (`parseAs: 'blob'`), saved under the name its Content-Disposition gives, else `fallbackName`. */
export async function download(call: Promise<{ data?: Blob; error?: unknown; response: Response }>, fallbackName: string): Promise<void> {
  const { response } = await call;
  const blob = await ok(call);
  const disposition = response.headers.get('content-disposition') ?? '';
  const named = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  saveFile(blob, named ? decodeURIComponent(named) : fallbackName);
}
