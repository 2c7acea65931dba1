/**
 * The working-day calendar: statutory holidays computed from the rules for
 * years `chinese-days` does not know, the supervisor's published schedules
 * (make-up working days, extra days off), and the warning when the current or
 * next year has no published schedule.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { getLunarDate, isWorkday } from 'chinese-days';
import { loadContent } from '../../bot/content/loader';
import { addCalendarDays, knowsYear, scheduleStatus, WorkingCalendar } from '../../bot/tickets/calendar';
import { calendarPolicySchema, type CalendarPolicy } from '../../bot/tickets/policy';
import { isWeekend, statutoryHolidays } from '../../bot/tickets/statutory-holidays';

const contentPolicy = loadContent().complaints.calendar;
const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) out.push(d);
  return out;
};
/** A published 2027 schedule as a supervisor would enter it (hypothetical: the real one is not out yet). */
const with2027: CalendarPolicy = {
  years: {
    ...contentPolicy.years,
    '2027': {
      source: 'test',
      daysOff: [{ name: '春节', from: '2027-02-05', to: '2027-02-12' }],
      workingDays: ['2027-01-30', '2027-02-20'],
    },
  },
};

describe('statutory holidays from the rules (2024 revision, in force 2025)', () => {
  it('puts 除夕 2027 on 5 Feb, the last day of the twelfth lunar month', () => {
    const eve = getLunarDate('2027-02-05');
    expect([eve.lunarMon, eve.lunarDay, eve.isLeap]).toEqual([12, 29, false]);
    const first = getLunarDate('2027-02-06');
    expect([first.lunarMon, first.lunarDay]).toEqual([1, 1]);
  });

  it('lists 2027: the thirteen statutory days and the weekday made up for each one on a weekend', () => {
    const list = statutoryHolidays(2027);
    expect(list.filter((d) => !d.substitute).map((d) => `${d.date} ${d.name}`)).toEqual([
      '2027-01-01 new_year',
      '2027-02-05 spring_festival', // 除夕
      '2027-02-06 spring_festival', // 初一
      '2027-02-07 spring_festival',
      '2027-02-08 spring_festival', // 初三
      '2027-04-05 qingming', // the solar term
      '2027-05-01 labour_day',
      '2027-05-02 labour_day',
      '2027-06-09 dragon_boat', // lunar 5-5
      '2027-09-15 mid_autumn', // lunar 8-15
      '2027-10-01 national_day',
      '2027-10-02 national_day',
      '2027-10-03 national_day',
    ]);
    // 6–7 Feb, 1–2 May and 2–3 Oct 2027 fall on weekends (Article 6: made up on working days).
    expect(list.filter((d) => d.substitute).map((d) => d.date)).toEqual(['2027-02-09', '2027-02-10', '2027-05-03', '2027-05-04', '2027-10-04', '2027-10-05']);
  });

  it('makes up a day the Mid-Autumn Festival shares with National Day (2028: 3 Oct)', () => {
    const oct = statutoryHolidays(2028).filter((d) => d.date.startsWith('2028-10'));
    // 1 Oct is a Sunday and 3 Oct is both festivals: two weekdays made up.
    expect(oct.map((d) => d.date)).toEqual(['2028-10-01', '2028-10-02', '2028-10-03', '2028-10-04', '2028-10-05']);
  });

  it.each([2025, 2026])('agrees with the official %i schedule: every computed day is a holiday there', (year) => {
    const computed = statutoryHolidays(year);
    expect(computed.filter((d) => !d.substitute)).toHaveLength(13);
    for (const d of computed) expect([d.date, isWorkday(d.date)]).toEqual([d.date, false]);
  });

  it('gives the same answers in a time zone west of UTC (chinese-days reads local time)', () => {
    const probe = `
      const { WorkingCalendar } = require('./bot/tickets/calendar');
      const { statutoryHolidays } = require('./bot/tickets/statutory-holidays');
      const c = new WorkingCalendar();
      const days = [];
      for (let d = new Date('2026-09-28T00:00:00Z'); d <= new Date('2026-10-12T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) days.push(d.toISOString().slice(0, 10));
      console.log(JSON.stringify({ zoneDay: new Date(Date.UTC(2027, 0, 1)).getDate(), holidays: statutoryHolidays(2027).map((h) => h.date), working: days.map((d) => c.isWorkingDay(d)) }));`;
    const run = (tz: string) =>
      JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', probe], { cwd: path.resolve(__dirname, '../..'), env: { ...process.env, TZ: tz }, encoding: 'utf8' }));
    const newYork = run('America/New_York');
    expect(newYork.zoneDay).toBe(31); // the child really ran west of UTC
    const c = new WorkingCalendar();
    expect({ holidays: newYork.holidays, working: newYork.working }).toEqual({
      holidays: statutoryHolidays(2027).map((h) => h.date),
      working: days('2026-09-28', '2026-10-12').map((d) => c.isWorkingDay(d)),
    });
  }, 20_000);
});

describe('the working-day calendar', () => {
  it('knows which years chinese-days has data for', () => {
    expect(knowsYear(2026)).toBe(true);
    expect(knowsYear(2027)).toBe(false);
  });

  it('counts 2027 by the rules: 1 Jan, Spring Festival and Golden Week are off', () => {
    const c = new WorkingCalendar(contentPolicy);
    expect(c.source(2027)).toBe('rules');
    for (const d of ['2027-01-01', '2027-10-01', '2027-10-04', '2027-02-05', '2027-02-08', '2027-02-10', '2027-06-09', '2027-09-15', '2027-04-05']) {
      expect([d, c.isWorkingDay(d)]).toEqual([d, false]);
    }
    for (const d of ['2026-12-31', '2027-01-04', '2027-02-04', '2027-02-11', '2027-10-06', '2027-09-14']) {
      expect([d, c.isWorkingDay(d)]).toEqual([d, true]);
    }
    expect(c.isWorkingDay('2027-01-02')).toBe(false); // an ordinary Saturday
  });

  it('keeps chinese-days as the source for the years it knows', () => {
    const c = new WorkingCalendar({ years: {} });
    expect(c.source(2026)).toBe('library');
    expect(c.isWorkingDay('2026-10-10')).toBe(true); // a make-up Saturday in the library's data
    expect(c.isWorkingDay('2026-10-07')).toBe(false);
    expect(c.isWorkingDay('2026-02-20')).toBe(false); // beyond the statutory days: the published block
  });

  it('takes a published schedule from the policy: make-up Saturdays work, listed days are off, statutory days stay off', () => {
    const c = new WorkingCalendar(with2027);
    expect(c.source(2027)).toBe('policy');
    expect(c.isWorkingDay('2027-02-20')).toBe(true); // a make-up Saturday
    expect(c.isWorkingDay('2027-01-30')).toBe(true);
    expect(c.isWorkingDay('2027-02-11')).toBe(false); // listed as a day off
    expect(c.isWorkingDay('2027-02-12')).toBe(false);
    expect(c.isWorkingDay('2027-10-01')).toBe(false); // statutory, though the entry does not list it
    // With the schedule published, the rules' own substitute days no longer apply.
    expect(c.isWorkingDay('2027-10-04')).toBe(true);
    expect(c.isWorkingDay('2027-02-27')).toBe(false); // an ordinary Saturday
  });

  it("lets the policy correct a year the library knows (an extra day off; a Saturday worked)", () => {
    const c = new WorkingCalendar({
      years: { '2026': { source: 'correction', daysOff: [{ name: 'extra', from: '2026-12-31', to: '2026-12-31' }], workingDays: ['2026-11-28'] } },
    });
    expect(c.isWorkingDay('2026-12-31')).toBe(false);
    expect(c.isWorkingDay('2026-11-28')).toBe(true);
    expect(c.isWorkingDay('2026-12-30')).toBe(true);
  });

  it('has the published 2026 schedule in content/policy/calendar.json, day for day as chinese-days has it', () => {
    const entry = contentPolicy.years['2026'];
    expect(entry?.workingDays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    const off = new Set(entry!.daysOff.flatMap((r) => days(r.from, r.to)));
    for (const d of days('2026-01-01', '2026-12-31')) {
      const bySchedule = entry!.workingDays.includes(d) || (!isWeekend(d) && !off.has(d));
      expect([d, bySchedule]).toEqual([d, isWorkday(d)]);
    }
  });
});

describe('warning when a year has no published schedule', () => {
  it('flags next year when neither the library nor the policy has it', () => {
    const status = scheduleStatus(new Date('2026-12-01T10:00:00+08:00'), 'Asia/Shanghai', new WorkingCalendar(contentPolicy));
    expect(status).toMatchObject({ ok: false, unpublished: [2027], years: { '2026': 'library', '2027': 'rules' } });
    expect(status.message).toMatch(/2027.*content\/policy\/calendar\.json/);
  });

  it('takes the year in the bank time zone (31 Dec 17:00 UTC is 1 Jan in Shanghai)', () => {
    const status = scheduleStatus(new Date('2026-12-31T17:00:00Z'), 'Asia/Shanghai', new WorkingCalendar(contentPolicy));
    expect(status.years).toEqual({ '2027': 'rules', '2028': 'rules' });
    expect(status.unpublished).toEqual([2027, 2028]);
  });

  it('is quiet when both years are published (library or policy)', () => {
    expect(scheduleStatus(new Date('2025-06-01T10:00:00+08:00'), 'Asia/Shanghai', new WorkingCalendar(contentPolicy))).toEqual({
      ok: true, unpublished: [], years: { '2025': 'library', '2026': 'library' },
    });
    expect(scheduleStatus(new Date('2026-12-01T10:00:00+08:00'), 'Asia/Shanghai', new WorkingCalendar(with2027))).toMatchObject({ ok: true, unpublished: [] });
  });
});

describe('the calendar policy file schema', () => {
  const entry = (e: Partial<CalendarPolicy['years'][string]>) => ({ years: { '2027': { source: 's', daysOff: [], workingDays: [], ...e } } });
  it.each([
    ['a day both off and working', entry({ daysOff: [{ name: 'x', from: '2027-02-05', to: '2027-02-12' }], workingDays: ['2027-02-06'] }), /also a day off/],
    ['a range that ends before it starts', entry({ daysOff: [{ name: 'x', from: '2027-02-12', to: '2027-02-05' }] }), /after/],
    ['a date that does not exist', entry({ workingDays: ['2027-02-30'] }), /calendar date/],
    ['a holiday of more than a month', entry({ daysOff: [{ name: 'x', from: '2027-01-01', to: '2027-03-01' }] }), /more than a month/],
    ['a key that is not a year', { years: { next: { source: 's', daysOff: [], workingDays: [] } } }, /year/],
    ['an entry without its source', { years: { '2027': { daysOff: [], workingDays: [] } } }, /source/],
  ])('rejects %s', (_what, value, message) => {
    const r = calendarPolicySchema.safeParse(value);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(message);
  });

  it('accepts the shipped file', () => {
    expect(calendarPolicySchema.safeParse(contentPolicy).success).toBe(true);
  });
});
