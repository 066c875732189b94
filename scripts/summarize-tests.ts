// Prints vitest's JSON report as one closing line, `N passed, N failed, N skipped`, which CI reads.
import { readFileSync } from 'node:fs';

type VitestReport = { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };

const path = process.argv[2] ?? 'test-results/vitest.json';
let report: VitestReport;
try {
  report = JSON.parse(readFileSync(path, 'utf8')) as VitestReport;
} catch (error) {
  console.error(`no test report at ${path}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
process.exit(report.numFailedTests > 0 || report.numPassedTests === 0 ? 1 : 0);
