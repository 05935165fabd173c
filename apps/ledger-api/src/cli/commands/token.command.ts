import { parseArgs } from 'node:util';
import { loadLedgerConfig } from '../../config/ledger-config.js';
import { AccessTokens, TokenLifetimeTooLong } from '../../platform/auth/access-tokens.js';
import { EVERY_UNIT, isRole, ROLES } from '../../platform/auth/actor.js';
import { JWT_SECRET_FILE, resolveJwtSecret } from '../../platform/auth/jwt-secret.js';
import { EXIT_OK, UsageError, type CliCommand } from '../cli-command.js';

/**
 * Mints a bearer token with the secret the API verifies with: LEDGER_JWT_SECRET, or the embedded
 * data directory's persisted one (created here if the API has not started yet).
 */
export const tokenCommand: CliCommand = {
  name: 'token',
  summary: 'mint a bearer token for a role and its units',
  usage: `token --role <${ROLES.join('|')}> [--units 899,900 | --units '*'] [--sub alice] [--ttl 8h]
    --units   unit codes the token covers; required for an operator, '*' (everywhere) for the other roles by default
    --sub     the user id recorded in every event the token's holder causes (default: cli-<role>)
    --ttl     how long the token lives, e.g. 30m or 8h; at most 12h, which the API enforces too (default: 8h)`,

  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { role: { type: 'string' }, units: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string', default: '8h' } },
      strict: true,
      allowPositionals: false,
    });
    const role = values.role;
    if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}.`);
    if (role === 'operator' && values.units === undefined) throw new UsageError('An operator token needs --units (unit codes, or \'*\' for everywhere).');
    const units = (values.units ?? EVERY_UNIT).split(',').map((unit) => unit.trim()).filter(Boolean);
    if (units.length === 0) throw new UsageError('--units must name at least one unit code, or \'*\'.');
    const ttl = values.ttl!;
    if (!/^\d+ ?[a-z]+$/i.test(ttl)) throw new UsageError('--ttl must be a duration such as 30m or 8h.');

    const config = loadLedgerConfig(io.env);
    const { secret, created } = resolveJwtSecret(config);
    if (created) io.err(`Generated a JWT secret in ${config.dataDirectory}/${JWT_SECRET_FILE}; the API started on that data directory will accept this token.`);
    try {
      io.out(await new AccessTokens(secret).mint({ userId: values.sub ?? `cli-${role}`, role, units }, { ttl }));
    } catch (error) {
      // The API would refuse a longer token, so none is minted.
      if (error instanceof TokenLifetimeTooLong) throw new UsageError(`--ttl: ${error.message}`);
      // jose refuses a duration it cannot read.
      if (error instanceof TypeError) throw new UsageError(`--ttl: ${error.message}`);
      throw error;
    }
    return EXIT_OK;
  },
};
