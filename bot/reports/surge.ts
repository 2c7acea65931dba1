/**
 * The surge rule (policy/reports.json): today's complaints of a category
 * against its daily average over the days before today. Pure.
 */
import { addCalendarDays } from '../tickets/calendar';
import type { ReportsPolicy } from './policy';

export interface Surge {
  category: string;
  today: number;
  /** The daily average over the baseline days (two decimals). */
  baseline: number;
}

/** `byDayCategory` must hold today and the baseline days before it (missing days count as none). */
export function findSurges(byDayCategory: Record<string, Record<string, number>>, today: string, rule: ReportsPolicy['surge']): Surge[] {
  const todays = byDayCategory[today] ?? {};
  const surges: Surge[] = [];
  for (const [category, count] of Object.entries(todays)) {
    let sum = 0;
    for (let i = 1; i <= rule.baselineDays; i++) sum += byDayCategory[addCalendarDays(today, -i)]?.[category] ?? 0;
    const baseline = sum / rule.baselineDays;
    if (count >= rule.minToday && count >= rule.factor * baseline && count - baseline >= rule.minAbove) {
      surges.push({ category, today: count, baseline: Math.round(baseline * 100) / 100 });
    }
  }
  return surges.sort((a, b) => b.today - b.baseline - (a.today - a.baseline));
}
