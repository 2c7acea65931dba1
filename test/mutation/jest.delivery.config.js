/**
 * Jest for the delivery group of `npm run test:mutation` (bot/notify, the inbound dedupe, the turn lock, the
 * WeChat window and signature): the tests that exercise those modules — the outbox and its rules, the status
 * schedule (progress updates, surveys, reminders, escalations, dead letters), staff alerts, the desk's view of
 * dead letters, and the WeChat adapter's window and error paths — without the conversation tests that only pass
 * through them. The notify CLIs are tested as child processes (notify-cli.test.ts), which Stryker's in-process
 * runner cannot observe, so they are not mutated (test/mutation/run.ts).
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: [
    '<rootDir>/test/unit/wechat-protocol.test.ts',
    '<rootDir>/test/unit/wechat-verify-rules.test.ts',
    '<rootDir>/test/unit/survey-answer.test.ts',
    '<rootDir>/test/integration/outbox.test.ts',
    '<rootDir>/test/integration/pipeline.test.ts',
    '<rootDir>/test/integration/notify-rules.test.ts',
    '<rootDir>/test/integration/service-window-rules.test.ts',
    '<rootDir>/test/integration/turn-lock-rules.test.ts',
    '<rootDir>/test/integration/status-schedule.test.ts',
    '<rootDir>/test/integration/wecom-alerts.test.ts',
    '<rootDir>/test/integration/desk-complaints.test.ts',
    '<rootDir>/test/integration/wechat-oa-window.test.ts',
    '<rootDir>/test/integration/wechat-oa-errors.test.ts',
    // Rule tests written for the delivery group (docs/testing.md § Mutation testing).
    '<rootDir>/test/unit/status-plan-rules.test.ts',
    '<rootDir>/test/integration/notice-middleware-rules.test.ts',
    '<rootDir>/test/integration/scheduler-rules.test.ts',
  ],
};
