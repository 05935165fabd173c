import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerConfig } from '../config/ledger-config.js';
import { JWT_SECRET_FILE } from '../platform/auth/jwt-secret.js';
import type { AccessTokens, Actor } from '../platform/index.js';
import { OPENAPI_JSON_PATH, OPENAPI_PATH } from '../platform/openapi/openapi.js';
import { DEMO_PROVINCE_UNIT, NEXT_PERIOD, demoProvinceSize, featuredPersons, type BeneficiaryIdDerivation } from './demo-province.js';
import { demoResultFilesDirectory } from './demo-result-files.js';
import { DEMO_OPERATORS, type DemoSeedStatus } from './seed-demo.js';

/** The longest a token may live (the API refuses longer ones): a working day of trying things; `npm run ledger -- token` mints others. */
export const DEMO_TOKEN_TTL = '12h';

/** The people the banner hands tokens to: both demo operators (so maker-checker can be tried), and one of each other role. */
export const DEMO_TOKEN_HOLDERS: ReadonlyArray<{ readonly variable: string; readonly actor: Actor; readonly note: string }> = [
  { variable: 'LAN', actor: { ...DEMO_OPERATORS.maker, units: [DEMO_PROVINCE_UNIT] }, note: 'operator, the whole province (unit 91): creates payroll runs' },
  { variable: 'MINH', actor: { ...DEMO_OPERATORS.checker, units: [DEMO_PROVINCE_UNIT] }, note: 'operator, the whole province: approves what Lan creates' },
  { variable: 'AUDITOR', actor: { userId: 'thu.auditor', role: 'auditor', units: ['*'] }, note: 'auditor: reads everything, changes nothing' },
  { variable: 'REPORTER', actor: { userId: 'bao.reporter', role: 'reporter', units: ['*'] }, note: 'reporter: reports and lists, identifiers masked' },
  { variable: 'ADMIN', actor: { userId: 'admin', role: 'admin', units: ['*'] }, note: 'admin: everything' },
];

export interface DemoBannerInput {
  readonly url: string;
  readonly config: Pick<LedgerConfig, 'dataDirectory' | 'jwtSecret' | 'eventStoreConnectionString'>;
  readonly tokens: AccessTokens;
  readonly demo: DemoSeedStatus;
  /** The store's derivation: the featured people's ids are this store's (keyed ids differ between data directories). */
  readonly beneficiaryIds: BeneficiaryIdDerivation;
}

/**
 * What a new user needs after `npm start`: where the API and its documentation are, a token for
 * each role, and commands to paste. Only outside production: these are live credentials.
 */
export async function demoBanner({ url, config, tokens, demo, beneficiaryIds }: DemoBannerInput): Promise<string> {
  const rule = '─'.repeat(78);
  const lines = [rule, ' Social-protection payment ledger', rule, `Console  ${url}/console/`, `API      ${url}`, `OpenAPI  ${url}/${OPENAPI_PATH}   (JSON: ${url}/${OPENAPI_JSON_PATH})`];
  if (!config.eventStoreConnectionString) lines.push(`Data     ${join(config.dataDirectory, 'ledger.sqlite')}`);
  lines.push('');

  if (demo.status === 'SEEDED') {
    const size = demoProvinceSize(demo.scale);
    const people = size.meritorious + size.socialAssistance - size.inBothPrograms;
    lines.push(
      `Demo: Tỉnh Kiên Giang (unit 91) and its 15 district-level units${demo.scale === 1 ? '' : ` (at scale ${demo.scale})`}.`,
      `  ${n(people)} beneficiaries: ${n(size.meritorious)} meritorious, ${n(size.socialAssistance)} social assistance (${n(size.inBothPrograms)} in both);`,
      `  ${n(size.verifiedMeritorious)} meritorious and ${n(size.verifiedSocialAssistance)} social-assistance beneficiaries hold verified bank accounts.`,
      `  Payroll runs 2024-01, 2024-02, 2024-03: created by ${DEMO_OPERATORS.maker.userId}, approved by ${DEMO_OPERATORS.checker.userId}, sent,`,
      '  and settled but for a few failed transfers, returned cash and late reports. Some suspensions,',
      `  deaths reported late (overpayments), a refused duplicate settlement. ${NEXT_PERIOD} is yours to run.`,
      '',
    );
    const examples = demoResultFilesDirectory(config.dataDirectory);
    if (existsSync(examples)) {
      lines.push(
        `Result files about March, as the Post Office, a bank and the population database send them back, in ${examples}:`,
        `  npm run ledger -- import-results --file ${join(examples, '2024-03-post-office-returns.csv')}   (or POST it to /v1/post-office-returns)`,
        '',
      );
    }
  } else if (demo.status === 'EMPTY') {
    lines.push('The ledger is empty (LEDGER_SEED_DEMO=false): enroll someone with POST /v1/beneficiaries.', '');
  }

  const secret = config.jwtSecret ? 'LEDGER_JWT_SECRET' : `the secret in ${join(config.dataDirectory, JWT_SECRET_FILE)}`;
  lines.push(`Tokens, valid ${DEMO_TOKEN_TTL} (signed with ${secret}). Paste these lines into a shell:`, '', `export API=${url}`);
  for (const { variable, actor, note } of DEMO_TOKEN_HOLDERS) {
    lines.push(`export ${variable}=${await tokens.mint(actor, { ttl: DEMO_TOKEN_TTL })}   # ${actor.userId}: ${note}`);
  }
  lines.push('', "More tokens: npm run ledger -- token --role operator --units 899 --sub my.name", '');

  const bearer = (variable: string) => `-H "authorization: Bearer $${variable}"`;
  if (demo.status === 'SEEDED') {
    const { bankTransferRetried, cashReturned, deceasedReportedLate } = featuredPersons(beneficiaryIds);
    lines.push(
      'Then try:',
      '',
      `# ${bankTransferRetried.fullName} (Rạch Giá): January's transfer failed, was retried in cash and paid late in February`,
      `curl -s "$API/v1/disbursements?beneficiaryId=${bankTransferRetried.beneficiaryId}" ${bearer('LAN')}`,
      `# ${cashReturned.fullName} (Kiên Hải island): February's cash came back uncollected and was paid with the March run`,
      `curl -s "$API/v1/disbursements?beneficiaryId=${cashReturned.beneficiaryId}&period=2024-02" ${bearer('LAN')}`,
      `# ${deceasedReportedLate.fullName} (Giồng Riềng) died in January; reported in March: February and March are overpayments`,
      `curl -s "$API/v1/reports/overpayments" ${bearer('AUDITOR')}`,
      '# Cashless coverage per unit and program; March payments that were late; the refused duplicate settlements',
      `curl -s "$API/v1/reports/coverage?program=MERITORIOUS" ${bearer('REPORTER')}`,
      `curl -s "$API/v1/reports/late-payments?period=2024-03&unitCode=912" ${bearer('REPORTER')}`,
      `curl -s "$API/v1/reports/duplicate-attempts" ${bearer('AUDITOR')}`,
      `# ${deceasedReportedLate.fullName}'s history, event by event, each with who did it, when and why`,
      `curl -s "$API/v1/audit/streams/${deceasedReportedLate.beneficiaryId}" ${bearer('AUDITOR')}`,
      '# Sign the head of the hash chain, keep the digest; later, prove the log unchanged up to it',
      `curl -s "$API/v1/audit/digest" ${bearer('AUDITOR')} > digest.json`,
      `curl -s -X POST "$API/v1/audit/verify" ${bearer('AUDITOR')} -H "content-type: application/json" -d @digest.json`,
      `# The ${NEXT_PERIOD} payroll: Lan creates it, Minh approves it (Lan may not: maker-checker), Lan sends it`,
      `curl -s -X POST "$API/v1/payroll-runs" ${bearer('LAN')} -H "idempotency-key: payroll-${NEXT_PERIOD}" -H "content-type: application/json" -d '{"period":"${NEXT_PERIOD}"}' | tee run.json`,
      `RUN=$(node -p 'require("./run.json").runId')`,
      `curl -s -X POST "$API/v1/payroll-runs/$RUN/approve" ${bearer('MINH')} -H "idempotency-key: approve-${NEXT_PERIOD}"`,
      `curl -s -X POST "$API/v1/payroll-runs/$RUN/send" ${bearer('LAN')} -H "idempotency-key: send-${NEXT_PERIOD}"`,
      `curl -s "$API/v1/payroll-runs/$RUN/payment-files/POST_OFFICE" ${bearer('LAN')} | head`,
      '',
    );
  } else {
    lines.push('Then try:', '', `curl -s "$API/v1/beneficiaries" ${bearer('LAN')}`, '');
  }
  lines.push(rule);
  return lines.join('\n');
}

const n = (value: number) => value.toLocaleString('en-US');
