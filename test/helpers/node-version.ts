// Says once per test run which Node runs the tests (vitest's workers are forked from the same
// binary), so a CI log shows that the suite ran on the Node the project brings, not the machine's.
export default function printNodeVersion(): void {
  console.log(`tests run on Node.js ${process.version} (${process.execPath})`);
}
