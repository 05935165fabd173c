import { parseArgs } from 'node:util';
import { resolveAuditSigningKey, AUDIT_SIGNING_KEY_FILE } from '../../audit/audit-signing-key.js';
import { withLedgerStorage, writeFileAtomically } from '../../audit/offline-tools.js';
import { TamperEvidence } from '../../audit/tamper-evidence.js';
import { loadLedgerConfig } from '../../config/ledger-config.js';
import { EXIT_OK, type CliCommand } from '../cli-command.js';

/**
 * Exports a signed digest of the audit chain's head, for an auditor to keep outside the ledger and
 * hand back to `verify` (or POST /v1/audit/verify) later.
 */
export const digestCommand: CliCommand = {
  name: 'digest',
  summary: 'export a signed digest of the audit chain (position, SHA-256 hash, Ed25519 signature)',
  usage: `digest [--out digest.json]
    --out   the file to write the digest to (default: print it)
  The digest is of the read models' checkpoint: what the API's GET /v1/audit/digest answers.`,

  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { out: { type: 'string' } }, strict: true, allowPositionals: false });
    const config = loadLedgerConfig(io.env);
    const key = resolveAuditSigningKey(config);
    if (key.created) io.err(`Generated the ledger's audit signing key in ${config.dataDirectory}/${AUDIT_SIGNING_KEY_FILE}; back it up: digests are checked against it.`);
    return withLedgerStorage(config, async ({ eventStore, readModels }) => {
      const digest = await new TamperEvidence(eventStore, readModels, key).digest();
      const head = await eventStore.headPosition();
      if (BigInt(digest.position) < head) {
        io.err(`The read models (and the chain) are at position ${digest.position}, the log at ${head}: the digest covers the log up to ${digest.position}. Start the API or the projector to bring them up to date.`);
      }
      const text = `${JSON.stringify(digest, null, 2)}\n`;
      if (values.out === undefined) io.out(text.trimEnd());
      else {
        writeFileAtomically(values.out, text);
        io.out(`Wrote the digest of the log up to position ${digest.position} (hash ${digest.hash}) to ${values.out}.`);
      }
      return EXIT_OK;
    });
  },
};
