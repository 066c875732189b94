// Prints vitest's JSON report as one closing line, `N passed, N failed, N skipped`, which CI reads.
// A test file that failed before any of its tests ran (set-up, import) counts as one failure.
import { readFileSync } from 'node:fs';

type VitestReport = {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: Array<{ status: string; assertionResults: Array<{ status: string }> }>;
};

const path = process.argv[2] ?? 'test-results/vitest.json';
let report: VitestReport;
try {
  report = JSON.parse(readFileSync(path, 'utf8')) as VitestReport;
} catch (error) {
  console.error(`no test report at ${path}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const failedFiles = report.testResults.filter(
  (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
).length;
const failed = report.numFailedTests + failedFiles;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || report.numPassedTests === 0 ? 1 : 0);
