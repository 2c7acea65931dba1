/**
 * Jest for `npm run test:mutation` (Stryker): only the tests that exercise the
 * mutated modules, so each mutant runs a few relevant tests rather than the
 * whole suite (Stryker adds --findRelatedTests and a per-test filter on top).
 * Left out: browser tests (e2e), the WeChat adapter's HTTP tests (service-window.ts
 * and verify.ts are covered by the rule and protocol tests here) and fuzz/bench
 * runs, which are slow and random. `npm run test:mutation` runs each group with its
 * own, leaner config (jest.<group>.config.js); this one is for a whole Stryker run.
 */
const base = require('../../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../..',
  // The sources too: --findRelatedTests follows imports only through files under the roots
  // (tests reach bot/notify through bot/app.ts, which would otherwise be invisible to it).
  roots: ['<rootDir>/test', '<rootDir>/bot', '<rootDir>/adapters', '<rootDir>/dialogs'],
  testMatch: [
    '<rootDir>/test/unit/clocks.test.ts',
    '<rootDir>/test/unit/calendar.test.ts',
    '<rootDir>/test/unit/mask.test.ts',
    '<rootDir>/test/unit/mask-corpus.test.ts',
    '<rootDir>/test/unit/mask-split.test.ts',
    '<rootDir>/test/unit/log.test.ts',
    '<rootDir>/test/unit/wechat-protocol.test.ts',
    '<rootDir>/test/unit/detection-view.test.ts',
    '<rootDir>/test/unit/tickets-rules.test.ts',
    '<rootDir>/test/integration/tickets.test.ts',
    '<rootDir>/test/integration/appeal-handlers.test.ts',
    '<rootDir>/test/integration/outbox.test.ts',
    '<rootDir>/test/integration/pipeline.test.ts',
    '<rootDir>/test/integration/pii-guard.test.ts',
    '<rootDir>/test/conversations/intake.test.ts',
    // Rule tests written for issue 16's mutation target (docs/testing.md § Mutation testing).
    '<rootDir>/test/integration/service-window-rules.test.ts',
    '<rootDir>/test/unit/wechat-verify-rules.test.ts',
    '<rootDir>/test/integration/turn-lock-rules.test.ts',
    '<rootDir>/test/integration/notify-rules.test.ts',
    '<rootDir>/test/integration/ticket-numbers-rules.test.ts',
    '<rootDir>/test/integration/ticket-service-rules.test.ts',
    '<rootDir>/test/unit/log-scrub-rules.test.ts',
    '<rootDir>/test/unit/log-paths.test.ts',
    '<rootDir>/test/unit/split-number-rules.test.ts',
    '<rootDir>/test/unit/numbers-rules.test.ts',
    '<rootDir>/test/unit/normalise-rules.test.ts',
    // Merging and rebuilding the open lists (bot/tickets/merge.ts, reindex.ts).
    '<rootDir>/test/integration/merge.test.ts',
    '<rootDir>/test/integration/reindex.test.ts',
    '<rootDir>/test/integration/ticket-people-rules.test.ts',
  ],
};
