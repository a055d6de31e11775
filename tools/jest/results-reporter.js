// Jest reporter: when LAKEMIRROR_TEST_RESULTS_DIR is set, writes each run's pass/fail counts
// there, so scripts/test.sh can print one total for every project and kind.
const fs = require('node:fs');
const path = require('node:path');

class ResultsReporter {
  constructor(_globalConfig, options) {
    this.name = options.name;
  }

  onRunComplete(_contexts, results) {
    const dir = process.env.LAKEMIRROR_TEST_RESULTS_DIR;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const counts = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.writeFileSync(path.join(dir, `${this.name}.json`), JSON.stringify(counts));
  }
}

module.exports = ResultsReporter;
