/**
 * Edges of the ticket rules that mutation testing found unguarded: the
 * clock's pauses and extensions, the promised date, the level signals and
 * their thresholds, the statutory-holiday list's order and substitutes, the
 * installed calendar, and the calendar policy schema's boundaries.
 */
import { loadContent } from '../../bot/content/loader';
import { addWorkingDays, currentCalendar, localDate, useCalendar, WorkingCalendar } from '../../bot/tickets/calendar';
import { extendClock, pauseClock, promisedDate, resumeClock, startClocks } from '../../bot/tickets/clocks';
import { levelFor, signalsIn } from '../../bot/tickets/level';
import { calendarPolicySchema } from '../../bot/tickets/policy';
import { statutoryHolidays } from '../../bot/tickets/statutory-holidays';

const policy = loadContent().complaints;
const limits = policy.timeLimits;
const shanghai = (iso: string) => localDate(new Date(iso), 'Asia/Shanghai');

describe('clock edges', () => {
  const received = new Date('2026-11-23T10:00:00+08:00');

  it('refuses an extension whose approver or reason is only spaces', () => {
    const c = startClocks(limits, received, true, 'general');
    expect(() => extendClock(limits, c, '   ', 'records needed', received)).toThrow(expect.objectContaining({ code: 'TICKET_INVALID' }));
    expect(() => extendClock(limits, c, 'manager:li', ' \t', received)).toThrow(expect.objectContaining({ code: 'TICKET_INVALID' }));
  });

  it('keeps every pause with its reason, and closes only the last one on resuming', () => {
    let c = startClocks(limits, received, false, 'general');
    c = pauseClock(c, 'appraisal', new Date('2026-11-24T10:00:00+08:00'));
    c = resumeClock(limits, c, new Date('2026-11-26T10:00:00+08:00'));
    c = pauseClock(c, 'bank records', new Date('2026-11-27T10:00:00+08:00'));
    expect(() => pauseClock(c, 'again', received)).toThrow(expect.objectContaining({ code: 'STATE_CONFLICT' }));
    c = resumeClock(limits, c, new Date('2026-11-30T10:00:00+08:00'));
    expect(() => resumeClock(limits, c, received)).toThrow(expect.objectContaining({ code: 'STATE_CONFLICT' }));
    expect(c.pauses).toEqual([
      { from: new Date('2026-11-24T10:00:00+08:00').toISOString(), reason: 'appraisal', to: new Date('2026-11-26T10:00:00+08:00').toISOString() },
      { from: new Date('2026-11-27T10:00:00+08:00').toISOString(), reason: 'bank records', to: new Date('2026-11-30T10:00:00+08:00').toISOString() },
    ]);
    expect(c.pausedDays).toBe(5);
    expect(shanghai(c.regulatoryDue)).toBe('2026-12-13');
  });

  it('promises the regulatory limit when it comes before the internal target', () => {
    // Complex, received before Golden Week: 10 working days run to 16 Oct, 15 calendar days to 13 Oct.
    const c = startClocks(limits, new Date('2026-09-28T10:00:00+08:00'), true, 'general');
    expect([shanghai(c.internalDue), shanghai(c.regulatoryDue)]).toEqual(['2026-10-16', '2026-10-13']);
    expect(promisedDate(c)).toBe(c.regulatoryDue);
  });
});

describe('level signals', () => {
  const level = (texts: string[], extra: { amountCny?: number; repeat?: boolean } = {}) => levelFor(policy, { texts, ...extra });

  it('finds phrases whatever their case', () => {
    expect(level(['I will talk to a JOURNALIST'])).toBe('urgent');
    expect(signalsIn(policy, { texts: ['This is FRAUD'] })).toEqual(new Set(['fraud']));
  });

  it('does not join separate messages into one phrase', () => {
    expect(level(['我要找记', '者'])).toBe('general');
  });

  it('raises to important from the large-amount threshold on, and for a repeat', () => {
    expect(level(['转账没到账'], { amountCny: 50_000 })).toBe('important');
    expect(level(['转账没到账'], { amountCny: 49_999.99 })).toBe('general');
    expect(level(['转账没到账'], { repeat: true })).toBe('important');
    expect(level(['转账没到账'], { repeat: false })).toBe('general');
  });

  it('never lowers a level a higher rule gave', () => {
    expect(level(['被骗了，我要找记者曝光'], { amountCny: 80_000, repeat: true })).toBe('urgent');
  });
});

describe('statutory holiday list', () => {
  it('is in date order, substitutes among the statutory days', () => {
    const dates = statutoryHolidays(2027).map((d) => d.date);
    expect(dates).toEqual([...dates].sort());
    expect(dates.indexOf('2027-02-09')).toBeLessThan(dates.indexOf('2027-04-05'));
  });

  it('skips a weekend and days already off when placing a substitute (2026)', () => {
    // 5 Apr (Sun) → Mon 6 Apr; 2 May (Sat) → Mon 4 May, not Sun 3 May; 3 Oct (Sat) → Mon 5 Oct, after 4 Oct (Sun).
    expect(statutoryHolidays(2026).filter((d) => d.substitute).map((d) => d.date)).toEqual(['2026-04-06', '2026-05-04', '2026-10-05']);
  });

  it('names a shared day after the first festival on it (2028: 3 Oct is Mid-Autumn)', () => {
    const oct = statutoryHolidays(2028).filter((d) => d.date.startsWith('2028-10'));
    expect(oct.map((d) => `${d.date} ${d.name}${d.substitute ? '*' : ''}`)).toEqual([
      '2028-10-01 national_day', '2028-10-02 national_day', '2028-10-03 mid_autumn', '2028-10-04 national_day*', '2028-10-05 national_day*',
    ]);
  });
});

describe('the installed calendar', () => {
  it('is what working-day counts use unless one is passed', () => {
    const before = currentCalendar();
    try {
      useCalendar(new WorkingCalendar({ years: { '2027': { source: 't', daysOff: [{ name: 'x', from: '2027-01-04', to: '2027-01-04' }], workingDays: [] } } }));
      expect(addWorkingDays('2026-12-31', 1)).toBe('2027-01-05');
    } finally {
      useCalendar(before);
    }
    expect(addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
  });
});

describe('calendar policy schema boundaries', () => {
  const parse = (daysOff: Array<{ from: string; to: string }>, workingDays: string[] = []) =>
    calendarPolicySchema.safeParse({ years: { '2027': { source: 's', daysOff: daysOff.map((r) => ({ name: 'x', ...r })), workingDays } } });

  it('accepts a one-day holiday and one of 31 days, refuses 32', () => {
    expect(parse([{ from: '2027-01-01', to: '2027-01-01' }]).success).toBe(true);
    expect(parse([{ from: '2027-01-01', to: '2027-01-31' }]).success).toBe(true);
    expect(parse([{ from: '2027-01-01', to: '2027-02-01' }]).success).toBe(false);
  });

  it('refuses a make-up day on the first or the last day of a holiday, and says where', () => {
    for (const day of ['2027-02-05', '2027-02-12']) {
      const r = parse([{ from: '2027-02-05', to: '2027-02-12' }], ['2027-01-30', day]);
      expect(r.success).toBe(false);
      expect(r.error?.issues.map((i) => [i.path, i.message])).toEqual([[['years', '2027', 'workingDays', 1], `${day} is also a day off (x)`]]);
    }
    expect(parse([{ from: '2027-02-05', to: '2027-02-12' }], ['2027-02-04', '2027-02-13']).success).toBe(true);
  });
});
