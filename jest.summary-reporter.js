// Writes each project's totals to $AP_TEST_RESULTS_DIR so infra/test-all.sh can print one
// closing line for the whole suite ("N passed, N failed").
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  /** options.name tells apart two runs from one rootDir (the gateway's tests and its fault drills). */
  constructor(globalConfig, options = {}) {
    this.globalConfig = globalConfig;
    this.options = options;
  }
  onRunComplete(_contexts, results) {
    const dir = process.env.AP_TEST_RESULTS_DIR;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    const name = (this.options.name || this.globalConfig.rootDir || 'project').replace(/[^A-Za-z0-9]+/g, '_');
    writeFileSync(
      join(dir, `${name}.json`),
      JSON.stringify({
        rootDir: this.globalConfig.rootDir,
        name: this.options.name,
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        skipped: results.numPendingTests + results.numTodoTests,
      }),
    );
  }
}
module.exports = SummaryReporter;
