// Jest reporter: when LAKEMIRROR_TEST_RESULTS_DIR is set, writes each run's pass/fail counts
// and the names of its failed tests there, so scripts/test.sh can print one total for every
// project and kind, and name what failed at the end of a long log.
const fs = require('node:fs');
const path = require('node:path');

const REPOSITORY_ROOT = path.resolve(__dirname, '../..');

class ResultsReporter {
  constructor(_globalConfig, options) {
    this.name = options.name;
  }

  onRunComplete(_contexts, results) {
    const dir = process.env.LAKEMIRROR_TEST_RESULTS_DIR;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const failures = [];
    for (const suite of results.testResults) {
      const file = path.relative(REPOSITORY_ROOT, suite.testFilePath);
      if (suite.testExecError) failures.push(`${file}: ${firstLine(suite.testExecError.message)}`);
      for (const test of suite.testResults) {
        if (test.status === 'failed') failures.push(`${file}: ${test.fullName}`);
      }
    }
    const counts = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      failures,
    };
    fs.writeFileSync(path.join(dir, `${this.name}.json`), JSON.stringify(counts));
  }
}

function firstLine(text) {
  return (
    String(text ?? '')
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? 'the suite did not run'
  );
}

module.exports = ResultsReporter;
