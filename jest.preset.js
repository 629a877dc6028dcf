// Shared by every project's jest.config.js: TypeScript through SWC (fast, keeps decorators and
// their metadata for TypeORM), Node environment, tests beside the code and under test/.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
    '/@opentelemetry/otlp-exporter-base/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // node_modules is not transformed, except the OTLP exporter's transport: it loads node:http with
  // a dynamic import(), which jest's CommonJS runtime refuses (node itself runs it as it is), and
  // SWC's CommonJS output turns it into a require.
  transformIgnorePatterns: ['^(?!.*/@opentelemetry/otlp-exporter-base/).*/node_modules/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  setupFiles: [path.join(__dirname, 'jest.setup.js')],
  // PostgreSQL and Kafka in containers where a Docker engine answers; the local ones otherwise.
  globalSetup: path.join(__dirname, 'libs/testing/src/jest-global-setup.ts'),
  globalTeardown: path.join(__dirname, 'libs/testing/src/jest-global-teardown.ts'),
  reporters: ['default', path.join(__dirname, 'jest.summary-reporter.js')],
};
