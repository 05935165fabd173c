import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { HttpException } from '@nestjs/common';
import { resolveAuditSigningKey } from '../../audit/audit-signing-key.js';
import { withLedgerStorage } from '../../audit/offline-tools.js';
import { parseVerifyBody } from '../../audit/parse-verify-body.js';
import { TamperEvidence } from '../../audit/tamper-evidence.js';
import { loadLedgerConfig } from '../../config/ledger-config.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand } from '../cli-command.js';

/**
 * Recomputes the audit chain from the stored events and checks a digest against it (and, given an
 * earlier digest, that the later one extends it). Exit 0: unchanged; exit 1: the first position
 * that differs is printed.
 */
export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'prove the log unchanged up to a digest, or name the first position that differs',
  usage: `verify --digest digest.json [--earlier older.json]
    --digest    a digest exported by \`digest\` (or saved from GET /v1/audit/digest)
    --earlier   an older digest the first one must extend
  Exits 0 when the log is unchanged, 1 when it differs (the first differing position is printed).`,

  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { digest: { type: 'string' }, earlier: { type: 'string' } }, strict: true, allowPositionals: false });
    if (values.digest === undefined) throw new UsageError('--digest is required.');
    const body = { ...readDigest(values.digest), ...(values.earlier === undefined ? {} : { earlier: readDigest(values.earlier) }) };
    let digests;
    try {
      digests = parseVerifyBody(body);
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      const problem = error.getResponse() as { detail?: string; errors?: Array<{ field: string; message: string }> };
      throw new UsageError(`Not a digest: ${(problem.errors ?? []).map((fieldError) => fieldError.message).join('; ') || problem.detail}`);
    }

    const config = loadLedgerConfig(io.env);
    const key = resolveAuditSigningKey(config);
    return withLedgerStorage(config, async ({ eventStore, readModels }) => {
      const started = performance.now();
      const result = await new TamperEvidence(eventStore, readModels, key).verify(digests);
      const seconds = (performance.now() - started) / 1000;
      if (result.ok) {
        io.out(
          `OK: the log up to position ${result.position} is unchanged (${result.eventsChecked.toLocaleString('en-US')} events checked in ${seconds.toFixed(2)} s)` +
            (result.extends ? `, and the digest extends the earlier one (position ${digests[1]!.digest.position}).` : '.'),
        );
        return EXIT_OK;
      }
      io.out(
        result.firstDifferingPosition === undefined
          ? `NOT OK: ${result.reason}: ${result.detail}`
          : `NOT OK: first differing position ${result.firstDifferingPosition} (${result.reason}): ${result.detail}`,
      );
      return EXIT_FAILURE;
    });
  },
};

function readDigest(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`${path} is not a digest (${(error as Error).message}).`);
  }
}
