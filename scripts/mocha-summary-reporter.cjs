// Mocha reporter for the unit layer and the in-host suite: mocha's spec output, plus a JSON summary
// (reporter option `summary=<file>`) that scripts/test-all.mjs and run-integration.mjs read. The file is also
// written while the run goes on (`finished: false`, with the test under way), so that a run stopped at its time
// limit still reports what passed and names the test it was in.
//
// Skips are told apart. A test declared skipped in the source (it.skip, xit, describe.skip, it() without a
// body) is counted as skipped: it shows in every summary line. A test that skipped itself while running
// (this.skip(), e.g. "no Chromium here") hides a capability that is missing, so it is counted as FAILED.
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

const { EVENT_RUN_BEGIN, EVENT_RUN_END, EVENT_TEST_BEGIN, EVENT_TEST_END, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } = Mocha.Runner.constants;
/** At most one progress write in this many ms (the final write always happens). */
const PROGRESS_WRITE_MS = 1000;

/** Every test of the tree that is pending before anything ran: the declared skips. */
function declaredSkips(suite, into = new Set()) {
  for (const test of suite.tests) if (test.isPending()) into.add(test);
  for (const child of suite.suites) declaredSkips(child, into);
  return into;
}

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options = {}) {
    super(runner, options);
    const summaryFile = (options.reporterOption || options.reporterOptions || {}).summary;
    const started = Date.now();
    const results = { passed: 0, failed: 0, skipped: 0, durationMs: 0, finished: false, running: undefined, tests: [], failures: [] };
    let lastWrite = 0;
    const write = () => {
      if (!summaryFile) return;
      lastWrite = Date.now();
      results.durationMs = Date.now() - started;
      fs.mkdirSync(path.dirname(summaryFile), { recursive: true });
      fs.writeFileSync(`${summaryFile}.tmp`, JSON.stringify(results, null, 2));
      fs.renameSync(`${summaryFile}.tmp`, summaryFile);
    };
    let declared = new Set();
    const fail = (title, error, durationMs) => {
      results.failed++;
      results.tests.push({ title, state: 'failed', durationMs, error });
      results.failures.push({ title, error });
    };
    runner.once(EVENT_RUN_BEGIN, () => {
      declared = declaredSkips(runner.suite);
      write();
    });
    runner.on(EVENT_TEST_BEGIN, (test) => {
      results.running = test.fullTitle();
      if (Date.now() - lastWrite >= PROGRESS_WRITE_MS) write();
    });
    runner.on(EVENT_TEST_END, () => {
      if (Date.now() - lastWrite >= PROGRESS_WRITE_MS) write();
    });
    runner.on(EVENT_TEST_PASS, (test) => {
      results.passed++;
      results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
    });
    runner.on(EVENT_TEST_FAIL, (test, err) => fail(test.fullTitle(), (err && err.stack) || String(err), test.duration));
    runner.on(EVENT_TEST_PENDING, (test) => {
      if (declared.has(test)) {
        results.skipped++;
        results.tests.push({ title: test.fullTitle(), state: 'skipped' });
      } else {
        fail(test.fullTitle(), 'skipped itself while running (this.skip()): a skip must not hide a missing capability');
      }
    });
    runner.once(EVENT_RUN_END, () => {
      results.finished = true;
      results.running = undefined;
      write();
    });
  }
}

module.exports = SummaryReporter;
