// The fault suite (`npm run test:faults`): drills that stop brokers, kill consumers, stop subgraphs
// and send hostile input. Kept apart from the ordinary tests because each drill is slow; CI runs both.
const path = require('node:path');
const preset = require('../../../jest.preset.js');

module.exports = {
  ...preset,
  rootDir: path.join(__dirname, '..', '..'),
  displayName: '@ap/gateway:faults',
  testMatch: ['<rootDir>/test/faults/**/*.faults.ts'],
  testTimeout: 300_000,
  // Its own results file for infra/test-all.sh's closing line (the gateway's tests share this rootDir).
  reporters: ['default', [path.join(__dirname, '..', '..', '..', 'jest.summary-reporter.js'), { name: 'gateway-faults' }]],
};
