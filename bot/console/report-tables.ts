/**
 * The report's tables, as the console shows them and as CSV exports them:
 * one header row and rows of counts, in the supervisor's language. Nothing
 * personal is in a report to begin with (bot/reports/report.ts); the
 * unanswered questions were masked when recorded.
 */
import type { Report } from '../reports/report';
import type { Cell } from '../reports/csv';

export const REPORT_TABLES = ['daily', 'categories', 'levels', 'channels', 'clocks', 'satisfaction', 'handoff', 'waits', 'faq', 'unanswered', 'callbacks'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

type Words = Record<string, string>;

const percent = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);
const word = (words: Words, key: string, fallback = key) => words[key] ?? fallback;
const camel = (id: string) => id.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());

export function reportTable(report: Report, table: ReportTable, words: Words): { header: string[]; rows: Cell[][] } {
  const w = (key: string) => word(words, key);
  const pairs = (record: Record<string, number>, name: (id: string) => string, head: string) => ({
    header: [w(head), w('report.count')],
    rows: Object.entries(record).sort((a, b) => b[1] - a[1]).map(([id, n]) => [name(id), n] as Cell[]),
  });
  switch (table) {
    case 'daily':
      return {
        header: [w('report.day'), w('report.complaints'), w('report.conversations'), w('report.handoffs')],
        rows: report.days.map((d) => [d, report.complaints.byDay[d] ?? 0, report.conversations.byDay[d] ?? 0, report.handoff.byDay[d] ?? 0]),
      };
    case 'categories':
      return pairs(report.complaints.byCategory, (id) => word(words, `category.${id}`, id), 'report.category');
    case 'levels':
      return pairs(report.complaints.byLevel, (id) => word(words, `level.${id}`, id), 'report.level');
    case 'channels':
      return {
        header: [w('report.channel'), w('report.complaints'), w('report.conversations'), w('report.handoffs')],
        rows: [...new Set([...Object.keys(report.complaints.byChannel), ...Object.keys(report.conversations.byChannel)])].map((c) => [
          word(words, `channel.${camel(c)}`, c), report.complaints.byChannel[c] ?? 0, report.conversations.byChannel[c] ?? 0, report.handoff.byChannel[c] ?? 0,
        ]),
      };
    case 'clocks':
      return {
        header: [w('report.figure'), w('report.onTimeCount'), w('report.late'), w('report.openLate'), `${w('report.share')} %`],
        rows: (['internal', 'regulatory'] as const).map((c) => {
          const f = report.complaints.clocks[c];
          return [w(`report.clock.${c}`), f.onTime, f.late, f.openLate, percent(f.share)];
        }),
      };
    case 'satisfaction': {
      const s = report.complaints.satisfaction;
      return { header: [w('report.answers'), w('report.satisfied'), `${w('report.satisfaction')} %`, `${w('report.targetLabel')} %`], rows: [[s.answers, s.satisfied, percent(s.rate), percent(s.target)]] };
    }
    case 'handoff': {
      const h = report.handoff;
      return {
        header: [w('report.figure'), w('report.value')],
        rows: [
          [w('report.conversations'), report.conversations.total],
          [w('report.handoffs'), h.count],
          [`${w('report.handoffRate')} %`, percent(h.rate)],
          [`${w('report.withinFive')} %`, percent(h.withinFiveMinutes)],
          [w('report.abandoned'), h.abandoned],
        ],
      };
    }
    case 'waits':
      return { header: [w('report.waits'), w('report.count')], rows: Object.entries(report.handoff.waits).map(([band, n]) => [w(`report.wait.${band === 'longer' ? band : `m${band}`}`), n]) };
    case 'faq': {
      const f = report.faq;
      return { header: [w('report.figure'), w('report.count')], rows: [[w('report.faqAnswer'), f.answer], [w('report.faqChoices'), f.choices], [w('report.faqNone'), f.none], [`${w('report.answeredShare')} %`, percent(f.answeredShare)]] };
    }
    case 'unanswered':
      return { header: [w('report.question'), w('report.count'), w('report.lastSeen')], rows: report.faq.topUnanswered.map((q) => [q.sample, q.count, q.lastSeen.slice(0, 10)]) };
    case 'callbacks': {
      const c = report.callbacks;
      return { header: [w('report.called'), w('report.callbacksOnTime'), `${w('report.share')} %`, w('report.overdueOpen')], rows: [[c.called, c.onTime, percent(c.share), c.overdueOpen]] };
    }
  }
}
