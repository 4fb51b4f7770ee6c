// The browser journeys: one built service (API + web app) on the embedded database with the demo seed,
// started once by the global setup; the journey files share it and run two at a time.
const base = require('../../package.json').jest;

module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/web'],
  testRegex: '\\.web-spec\\.ts$',
  globalSetup: '<rootDir>/test/web/global-setup.ts',
  globalTeardown: '<rootDir>/test/web/global-teardown.ts',
  testTimeout: 180000,
  maxWorkers: 2,
};
