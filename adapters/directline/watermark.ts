/**
 * The watermark a client sends (`?watermark=`): the index of the next activity
 * it wants. Only a plain whole number is accepted: `1e20`, `0x10`, `-1` and
 * `1.5` are refused, and so is anything past 2^53 (Redis list indexes are
 * 64-bit, JavaScript numbers exact only to 2^53). Empty means "from the start",
 * which is what botframework-directlinejs sends before it has one.
 */
import { AppError } from '../../bot/errors';

const WATERMARK = /^\d{1,15}$/;

export function parseWatermark(raw: unknown): number {
  if (raw === undefined || raw === '') return 0;
  if (typeof raw !== 'string' || !WATERMARK.test(raw)) {
    throw new AppError('BAD_REQUEST', 'watermark must be a whole number from 0 to 999999999999999', 400);
  }
  return Number(raw);
}
