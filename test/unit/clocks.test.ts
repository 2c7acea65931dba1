/** Due dates on the Chinese working-day calendar and the regulatory clock. */
import { loadContent } from '../../bot/content/loader';
import { addWorkingDays, localDate, WorkingCalendar } from '../../bot/tickets/calendar';
import { extendClock, pauseClock, promisedDate, restartClocks, resumeClock, startClocks } from '../../bot/tickets/clocks';
import { callbackDueBy } from '../../bot/handoff/callbacks';
import { assertTransition, canTransition } from '../../bot/tickets/state-machine';

const policy = loadContent().complaints;
const limits = policy.timeLimits;
const shanghai = (iso: string) => localDate(new Date(iso), 'Asia/Shanghai');

describe('working-day targets', () => {
  it.each([
    // received (Shanghai)            complex  expected internal due date
    // 2026 Golden Week: 1–7 Oct off, Sat 10 Oct a make-up working day
    ['2026-09-29T15:00:00+08:00', false, '2026-10-09'], // 30 Sep, 8 Oct, 9 Oct
    ['2026-09-30T10:00:00+08:00', false, '2026-10-10'], // 8, 9, and the make-up Saturday 10 Oct
    ['2026-10-09T09:00:00+08:00', false, '2026-10-13'], // the make-up Saturday 10 Oct counts: 10, 12, 13
    // 2026 Spring Festival: Sat 14 Feb worked, 15–23 Feb off, Sat 28 Feb worked
    ['2026-02-13T16:00:00+08:00', false, '2026-02-25'], // 14 Feb, 24, 25
    ['2026-02-12T16:00:00+08:00', true, '2026-03-04'], // complex, 10: 13, 14, 24, 25, 26, 27, 28 Feb, 2, 3, 4 Mar
    ['2026-11-20T18:00:00+08:00', false, '2026-11-25'], // an ordinary weekend: Fri → Mon, Tue, Wed
  ])('received %s (complex %s) → due %s', (received, complex, due) => {
    const clocks = startClocks(limits, new Date(received), complex, 'general');
    expect(shanghai(clocks.internalDue)).toBe(due);
  });

  it('counts make-up Saturdays and skips holidays', () => {
    expect(addWorkingDays('2026-10-09', 1)).toBe('2026-10-10'); // Saturday made a working day
    expect(addWorkingDays('2026-09-30', 1)).toBe('2026-10-08'); // 1–7 Oct are holidays
    expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
  });

  it.each([
    // Years chinese-days 1.5.7 does not know: counted by the statutory rules.
    ['2026-12-30T10:00:00+08:00', false, '2027-01-05'], // 31 Dec, (1 Jan New Year's Day, weekend), 4, 5 Jan
    ['2026-12-18T16:00:00+08:00', true, '2027-01-04'], // complex, 10: 21–25, 28–31 Dec, (1 Jan), 4 Jan
    ['2027-02-04T11:00:00+08:00', false, '2027-02-15'], // 除夕 5 Feb–初三 8 Feb off, 6–7 Feb made up on 9–10 Feb: 11, 12, 15
    ['2027-09-28T10:00:00+08:00', true, '2027-10-15'], // 29, 30 Sep, (1–3 Oct and their 4–5 Oct substitutes), 6, 7, 8, 11–15 Oct
    ['2027-09-14T10:00:00+08:00', false, '2027-09-20'], // (Mid-Autumn, Wed 15 Sep), 16, 17, 20
  ])('across into 2027: received %s (complex %s) → due %s', (received, complex, due) => {
    const clocks = startClocks(limits, new Date(received), complex, 'general', new WorkingCalendar(policy.calendar));
    expect(shanghai(clocks.internalDue)).toBe(due);
  });

  it("counts a policy's make-up Saturday as a working day", () => {
    const published = new WorkingCalendar({
      years: { ...policy.calendar.years, '2027': { source: 'test', daysOff: [{ name: '春节', from: '2027-02-05', to: '2027-02-12' }], workingDays: ['2027-02-20'] } },
    });
    const received = new Date('2027-02-19T10:00:00+08:00'); // a Friday
    expect(shanghai(startClocks(limits, received, false, 'general', published).internalDue)).toBe('2027-02-23'); // Sat 20, Mon 22, Tue 23
    expect(shanghai(startClocks(limits, received, false, 'general', new WorkingCalendar(policy.calendar)).internalDue)).toBe('2027-02-24');
    expect(shanghai(startClocks(limits, new Date('2027-02-04T10:00:00+08:00'), false, 'general', published).internalDue)).toBe('2027-02-17'); // 15, 16, 17
  });

  it('restarts the internal target on the same calendar', () => {
    const c = restartClocks(limits, startClocks(limits, new Date('2026-12-21T10:00:00+08:00'), false, 'general'), new Date('2026-12-30T10:00:00+08:00'), new WorkingCalendar(policy.calendar));
    expect(shanghai(c.internalDue)).toBe('2027-01-05');
  });

  it('uses the installed calendar by default (the rules know 1 Jan 2027)', () => {
    expect(addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    expect(shanghai(startClocks(limits, new Date('2026-12-31T10:00:00+08:00'), false, 'general').internalDue)).toBe('2027-01-06');
  });

  it('gives urgent complaints a shorter internal target', () => {
    const urgent = startClocks(limits, new Date('2026-11-23T10:00:00+08:00'), true, 'urgent');
    expect(urgent.internalWorkingDays).toBe(1);
    expect(shanghai(urgent.internalDue)).toBe('2026-11-24');
  });
});

describe('the regulatory clock', () => {
  const received = new Date('2026-11-23T10:00:00+08:00');

  it('runs 15 calendar days from receipt', () => {
    expect(shanghai(startClocks(limits, received, false, 'general').regulatoryDue)).toBe('2026-12-08');
  });

  it('extends to 30 and then 60 days only with an approver and a reason, and no further', () => {
    let c = startClocks(limits, received, true, 'general');
    expect(() => extendClock(limits, c, '', 'x', received)).toThrow();
    c = extendClock(limits, c, 'manager:li', 'needs records from the card network', received);
    expect(shanghai(c.regulatoryDue)).toBe('2026-12-23');
    c = extendClock(limits, c, 'director:wang', 'outside institution involved', received);
    expect(shanghai(c.regulatoryDue)).toBe('2027-01-22');
    expect(() => extendClock(limits, c, 'x', 'y', received)).toThrow(/No further extension/);
    expect(c.extensions.map((e) => e.approvedBy)).toEqual(['manager:li', 'director:wang']);
  });

  it('pauses during outside appraisal', () => {
    let c = startClocks(limits, received, false, 'general');
    c = pauseClock(c, 'handwriting appraisal', new Date('2026-11-25T10:00:00+08:00'));
    expect(() => pauseClock(c, 'again', received)).toThrow();
    c = resumeClock(limits, c, new Date('2026-12-02T10:00:00+08:00'));
    expect(c.pausedDays).toBe(7);
    expect(shanghai(c.regulatoryDue)).toBe('2026-12-15');
  });

  it('restarts from the day new facts arrive', () => {
    const c = restartClocks(limits, startClocks(limits, received, false, 'general'), new Date('2026-11-30T09:00:00+08:00'));
    expect(shanghai(c.regulatoryDue)).toBe('2026-12-15');
    expect(shanghai(c.internalDue)).toBe('2026-12-03');
  });

  it('promises the earlier of the two clocks', () => {
    const c = startClocks(limits, received, false, 'general');
    expect(promisedDate(c)).toBe(c.internalDue);
  });

  it('promises the regulatory date once it was extended or paused: the date the customer was then told', () => {
    const c = startClocks(limits, received, false, 'general');
    const extended = extendClock(limits, c, 'staff:lead', '需要调取银联的交易记录', new Date('2026-11-27T10:00:00+08:00'));
    expect(promisedDate(extended)).toBe(extended.regulatoryDue);
    expect(Date.parse(promisedDate(extended))).toBeGreaterThan(Date.parse(c.internalDue));
    const resumed = resumeClock(limits, pauseClock(c, '第三方鉴定', new Date('2026-11-24T10:00:00+08:00')), new Date('2026-12-04T10:00:00+08:00'));
    expect(promisedDate(resumed)).toBe(resumed.regulatoryDue);
  });
});

describe('call-back times inside office hours', () => {
  const hours = policy.officeHours; // 09:00–17:30, within 2 working hours
  it.each([
    ['2026-11-23T10:00:00+08:00', '2026-11-23T12:00:00+08:00'], // Monday morning
    ['2026-11-23T16:30:00+08:00', '2026-11-24T10:00:00+08:00'], // one hour today, one tomorrow
    ['2026-11-21T11:00:00+08:00', '2026-11-23T11:00:00+08:00'], // Saturday → Monday
    ['2026-09-30T20:00:00+08:00', '2026-10-08T11:00:00+08:00'], // evening before Golden Week → first day back
  ])('requested %s → by %s', (at, due) => {
    expect(callbackDueBy(new Date(at), hours).toISOString()).toBe(new Date(due).toISOString());
  });
});

describe('state machine', () => {
  it('allows the key steps and refuses the rest', () => {
    expect(canTransition('received', 'accepted')).toBe(true);
    expect(canTransition('resolved', 'reopened')).toBe(true);
    expect(canTransition('received', 'resolved')).toBe(false);
    expect(canTransition('withdrawn', 'accepted')).toBe(false);
    expect(() => assertTransition('closed', 'in_progress')).toThrow(expect.objectContaining({ code: 'STATE_CONFLICT' }));
  });
});
