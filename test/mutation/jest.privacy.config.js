/**
 * Jest for the privacy group of `npm run test:mutation`: the tests that read bot/privacy directly (masking,
 * the split-number guard, the log scrubber, the detection view, the log paths and the PII guard over a turn).
 * The conversation tests that mask on their way run a whole bot per mutant and would make the group take hours
 * on two cores; what they alone would kill shows as survivors.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: [
    '<rootDir>/test/unit/mask.test.ts',
    '<rootDir>/test/unit/mask-corpus.test.ts',
    '<rootDir>/test/unit/mask-split.test.ts',
    '<rootDir>/test/unit/log.test.ts',
    '<rootDir>/test/unit/log-scrub-rules.test.ts',
    '<rootDir>/test/unit/log-paths.test.ts',
    '<rootDir>/test/unit/detection-view.test.ts',
    '<rootDir>/test/integration/pii-guard.test.ts',
    '<rootDir>/test/unit/split-number-rules.test.ts',
    '<rootDir>/test/unit/numbers-rules.test.ts',
    '<rootDir>/test/unit/normalise-rules.test.ts',
  ],
};
