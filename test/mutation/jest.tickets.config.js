/**
 * Jest for the tickets group of `npm run test:mutation`: the tests that hold the complaint rules themselves
 * (clocks, calendar, the state machine, handlers, numbers, merging, the open lists), without the conversation
 * and pipeline tests that also create tickets on their way — each of those runs a whole bot per mutant, and on
 * two cores they would make the group take hours. What they alone would kill shows as survivors.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: [
    '<rootDir>/test/unit/clocks.test.ts',
    '<rootDir>/test/unit/calendar.test.ts',
    '<rootDir>/test/unit/tickets-rules.test.ts',
    '<rootDir>/test/integration/tickets.test.ts',
    '<rootDir>/test/integration/appeal-handlers.test.ts',
    '<rootDir>/test/integration/ticket-numbers-rules.test.ts',
    '<rootDir>/test/integration/ticket-service-rules.test.ts',
    '<rootDir>/test/integration/merge.test.ts',
    '<rootDir>/test/integration/reindex.test.ts',
    '<rootDir>/test/integration/ticket-people-rules.test.ts',
  ],
};
