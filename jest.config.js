/** @type {import('jest').Config} */
module.exports = {
  // Temporal's SDK must not run under jsdom, and the 'node' environment avoids the open-handle hang
  // that a leaked native connection would cause: every suite tears its environment down in afterAll.
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  testTimeout: 120_000,
  // Suites start real servers; two at a time fits the 2-core machine.
  maxWorkers: 2,
};
