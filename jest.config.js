// Jest runs the TypeScript sources directly through SWC as native ES modules
// (NODE_OPTIONS=--experimental-vm-modules, set by `npm test`).
const swc = ['@swc/jest', {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
  module: { type: 'es6' },
}];

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@ledger/event-store/testing$': '<rootDir>/libs/event-store/src/testing/index.ts',
    '^@ledger/(domain|event-store|read-models|api-client)$': '<rootDir>/libs/$1/src/index.ts',
    '^@ledger/payment-files$': '<rootDir>/libs/payment-files/src/index.ts',
    '^@ledger/integration-events$': '<rootDir>/libs/integration-events/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};

export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    // SIGKILL the compiled API mid-payroll, mid-send and mid-settlement (compiles it first, cached per source version).
    { ...shared, displayName: 'crash', testMatch: ['<rootDir>/test/crash/**/*.int-spec.ts'] },
    // Two provinces' compiled APIs, the national hub and a NATS server of the test's own (compiles them first, cached like the crash tests').
    { ...shared, displayName: 'national', testMatch: ['<rootDir>/test/national/**/*.int-spec.ts'] },
    // The web console in headless Chromium (Debian's, never a downloaded one) over the real API; builds the console first when it is stale.
    { ...shared, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
  ],
};
