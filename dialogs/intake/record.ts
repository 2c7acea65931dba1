/**
 * The complaint record and the rules for what is still missing live in
 * `bot/intake/record.ts`, where `npm run intake:eval` runs them without a
 * conversation; the intake dialog uses them from here.
 */
export { absorb, clearField, INFORMATION_STEPS, MAX_AMOUNT, nextStep, skip, type IntakeRecord, type Step } from '../../bot/intake/record';
