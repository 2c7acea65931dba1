/**
 * The status schedule's plan of one complaint (bot/notify/plan.ts), to the minute: the progress update counted
 * in Chinese working days at the same local time (weekends, the National Day holiday and its make-up Saturday),
 * the survey a set number of hours after the last answer and never twice, the automatic close at the end of the
 * last day an appeal may come in, the reminder before and the escalation after the promised date — and nothing
 * planned for what no longer applies (a closed complaint, a policy value of 0).
 */
import { loadContent } from '../../bot/content/loader';
import { planFor, workingDaysAfter } from '../../bot/notify/plan';
import { useCalendar, WorkingCalendar } from '../../bot/tickets/calendar';
import type { Ticket, TicketStatus } from '../../bot/tickets/model';
import type { ComplaintPolicy } from '../../bot/tickets/policy';
import { OPEN_STATUSES } from '../../bot/tickets/state-machine';

const content = loadContent();
const TZ = 'Asia/Shanghai';
const HOUR = 3_600_000;
const at = (local: string) => new Date(`${local}+08:00`);

/** The policy with its schedule replaced (the rest is the shipped content's). */
function policyWith(schedule: Partial<ComplaintPolicy['notices']['schedule']>, reopenWithinCalendarDays = 30): ComplaintPolicy {
  const p = content.complaints;
  return {
    ...p,
    timeLimits: { ...p.timeLimits, reopenWithinCalendarDays },
    notices: { ...p.notices, schedule: { ...p.notices.schedule, ...schedule } },
  };
}

const shipped = policyWith({ progressEveryWorkingDays: 2, surveyAfterHours: 24, remindBeforeHours: 24, escalateAfterMinutes: 0 });

/** The fields planFor reads; the rest of a ticket does not bear on the plan. */
function ticket(status: TicketStatus, over: { internalDue?: string; regulatoryDue?: string; extended?: boolean; answered?: string[]; survey?: boolean } = {}): Ticket {
  const clocks = {
    internalDue: over.internalDue ?? '2026-11-26T15:59:59.000Z',
    regulatoryDue: over.regulatoryDue ?? '2026-12-08T15:59:59.000Z',
    extensions: over.extended ? [{ totalDays: 30, approvedBy: 'staff:lead', reason: '需调取录音', at: '2026-11-25T02:00:00.000Z' }] : [],
    pauses: [],
  };
  const audit = [
    { at: '2026-11-23T02:00:00.000Z', by: 'bot', action: 'created', to: 'received' },
    ...(over.answered ?? []).map((a) => ({ at: a, by: 'staff:s1', action: 'status', from: 'in_progress', to: 'resolved' })),
    ...(over.answered && status !== 'resolved' ? [{ at: '2026-11-28T02:00:00.000Z', by: 'customer', action: 'appeal', from: 'resolved', to: status }] : []),
  ];
  return { status, clocks, audit, ...(over.survey ? { survey: { score: 5, at: '2026-11-25T02:00:00.000Z' } } : {}) } as unknown as Ticket;
}

beforeAll(() => useCalendar(new WorkingCalendar(content.complaints.calendar)));

describe('workingDaysAfter', () => {
  it('keeps the local time of day and skips the weekend', () => {
    expect(workingDaysAfter(at('2026-11-23T10:30:00'), 2, TZ)).toEqual(at('2026-11-25T10:30:00'));
    expect(workingDaysAfter(at('2026-11-27T15:20:00'), 2, TZ)).toEqual(at('2026-12-01T15:20:00'));
    expect(workingDaysAfter(at('2026-11-27T15:20:00'), 1, TZ)).toEqual(at('2026-11-30T15:20:00'));
  });

  it('keeps the local time late in the evening, when the UTC date is the day before', () => {
    // 23:30 in Shanghai is 15:30 UTC the same day; 07:30 in Shanghai is 23:30 UTC the day before.
    expect(workingDaysAfter(at('2026-11-24T23:30:00'), 1, TZ)).toEqual(at('2026-11-25T23:30:00'));
    expect(workingDaysAfter(at('2026-11-25T07:30:00'), 1, TZ)).toEqual(at('2026-11-26T07:30:00'));
  });

  it('skips the National Day holiday and counts its make-up Saturday', () => {
    // 1–7 October 2026 off; Saturday 10 October a working day.
    expect(workingDaysAfter(at('2026-09-30T09:00:00'), 1, TZ)).toEqual(at('2026-10-08T09:00:00'));
    expect(workingDaysAfter(at('2026-09-30T09:00:00'), 3, TZ)).toEqual(at('2026-10-10T09:00:00'));
  });
});

describe('planFor', () => {
  const received = at('2026-11-23T10:00:00');

  it('plans an open complaint: the next update, the reminder a day before the promised date and the escalation at it', () => {
    const plan = planFor(ticket('accepted'), shipped, received);
    expect(plan).toEqual({
      progress: at('2026-11-25T10:00:00'),
      survey: undefined,
      autoClose: undefined,
      remind: new Date(Date.parse('2026-11-26T15:59:59.000Z') - 24 * HOUR),
      escalate: new Date('2026-11-26T15:59:59.000Z'),
    });
  });

  it('counts the reminder and the escalation from the policy', () => {
    const plan = planFor(ticket('in_progress'), policyWith({ remindBeforeHours: 3, escalateAfterMinutes: 45 }), received);
    expect(plan.remind).toEqual(new Date(Date.parse('2026-11-26T15:59:59.000Z') - 3 * HOUR));
    expect(plan.escalate).toEqual(new Date(Date.parse('2026-11-26T15:59:59.000Z') + 45 * 60_000));
  });

  it('hangs the reminder on the regulatory date once it is the promise (an extension), and on the earlier date otherwise', () => {
    expect(planFor(ticket('assigned', { extended: true }), shipped, received).escalate).toEqual(new Date('2026-12-08T15:59:59.000Z'));
    const later = ticket('assigned', { internalDue: '2026-12-20T15:59:59.000Z' });
    expect(planFor(later, shipped, received).escalate).toEqual(new Date('2026-12-08T15:59:59.000Z'));
  });

  it('plans updates, reminders and escalations for every open status, and none for a closed one', () => {
    for (const status of OPEN_STATUSES) {
      const plan = planFor(ticket(status), shipped, received);
      expect([status, plan.progress, plan.remind, plan.escalate].every(Boolean)).toBe(true);
    }
    for (const status of ['closed', 'withdrawn', 'merged'] as const) {
      expect(planFor(ticket(status), shipped, received)).toEqual({ progress: undefined, survey: undefined, autoClose: undefined, remind: undefined, escalate: undefined });
    }
  });

  it('plans no updates when the policy says 0, and counts the interval from the last update', () => {
    expect(planFor(ticket('accepted'), policyWith({ progressEveryWorkingDays: 0 }), received).progress).toBeUndefined();
    expect(planFor(ticket('accepted'), policyWith({ progressEveryWorkingDays: 1 }), at('2026-11-27T11:15:00')).progress).toEqual(at('2026-11-30T11:15:00'));
  });

  it('plans the survey after the answer, from the last answer, and never once the customer has answered one', () => {
    const answered = ticket('resolved', { answered: ['2026-11-24T06:00:00.000Z'] });
    const plan = planFor(answered, shipped, received);
    expect(plan.survey).toEqual(new Date('2026-11-25T06:00:00.000Z'));
    expect([plan.progress, plan.remind, plan.escalate]).toEqual([undefined, undefined, undefined]);
    const twice = ticket('resolved', { answered: ['2026-11-24T06:00:00.000Z', '2026-12-01T06:00:00.000Z'] });
    expect(planFor(twice, policyWith({ surveyAfterHours: 2 }), received).survey).toEqual(new Date('2026-12-01T08:00:00.000Z'));
    expect(planFor(ticket('resolved', { answered: ['2026-11-24T06:00:00.000Z'], survey: true }), shipped, received).survey).toBeUndefined();
    expect(planFor(answered, policyWith({ surveyAfterHours: 0 }), received).survey).toBeUndefined();
  });

  it('closes an answered complaint at the end of the last local day an appeal may come in', () => {
    // Answered 24 Nov 23:30 in Shanghai (15:30 UTC): 30 days on is 24 Dec, to its last second there.
    const late = ticket('resolved', { answered: ['2026-11-24T15:30:00.000Z'] });
    expect(planFor(late, shipped, received).autoClose).toEqual(at('2026-12-24T23:59:59'));
    expect(planFor(late, policyWith({}, 10), received).autoClose).toEqual(at('2026-12-04T23:59:59'));
    // Reopened by an appeal: no longer answered, so neither a survey nor a close is planned.
    const appealed = ticket('reopened', { answered: ['2026-11-24T15:30:00.000Z'] });
    expect(planFor(appealed, shipped, received)).toMatchObject({ survey: undefined, autoClose: undefined });
  });
});
