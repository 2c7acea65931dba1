/**
 * "An appeal goes to someone who has not handled the complaint" (DOMAIN.md), on a
 * real Redis: every handler is recorded as the ticket moves, an appeal puts the
 * complaint back in the team queue, and the earlier handlers are refused.
 */
import { loadContent } from '../../bot/content/loader';
import { Keys } from '../../bot/store/keys';
import type { RedisBackend } from '../../bot/store/redis-backend';
import { TicketService, type NewComplaint } from '../../bot/tickets/service';
import { deleteKeys, openTestBackend, uniquePrefix } from '../support/redis';

const policy = loadContent().complaints;

function complaint(customerId: string): NewComplaint {
  const at = new Date().toISOString();
  return {
    customer: { channelId: 'directline', id: customerId, anonymous: false, phone: '13812345678', locale: 'zh-CN' },
    conversationRef: { conversation: { id: 'c1' } },
    details: { category: 'fees', description: '年费被重复扣了两次', wish: '退还多扣的年费' },
    consent: { personalData: { given: true, at, retentionDays: 1825 } },
    lawfulBasis: { description: 'legal_obligation', phone: 'consent' },
    customerTexts: [],
  };
}

const answer = (name: string) => ({
  findings: 'The annual fee was charged twice by a batch fault.',
  accountability: 'The card team reviewed the batch job.',
  correctiveAction: 'The duplicate charge check was added.',
  customerSatisfied: 'unknown' as const,
  handledAt: new Date().toISOString(),
  handler: { name, contact: '021-12345678' },
});

const BEFORE_APPEAL = /this person handled the complaint before the appeal/;

describe('appeal handlers', () => {
  let backend: RedisBackend;
  let keys: Keys;
  let tickets: TicketService;
  beforeAll(() => {
    backend = openTestBackend();
    keys = new Keys(uniquePrefix('appeal-handlers'));
    tickets = new TicketService(backend, keys, policy);
  });
  afterAll(async () => {
    await deleteKeys(backend.redis, keys.prefix);
    await backend.close();
  });

  /** A complaint handled by zhang (assigned, started) and answered by wang; accepted by the desk, closed by the system. */
  async function answered(customerId: string): Promise<string> {
    const { number } = await tickets.create(complaint(customerId));
    await tickets.transition(number, 'accepted', 'staff:desk');
    await tickets.transition(number, 'assigned', 'staff:zhang');
    await tickets.transition(number, 'in_progress', 'staff:zhang');
    await tickets.transition(number, 'resolved', 'staff:wang', 'answered', answer('王芳'));
    return number;
  }

  it('records every handler as the ticket is assigned, started and answered, once each and in order', async () => {
    const { number } = await tickets.create(complaint('h1'));
    expect((await tickets.get(number)).handlers).toEqual([]);
    await tickets.transition(number, 'accepted', 'staff:desk'); // registering is not handling
    expect((await tickets.get(number)).handlers).toEqual([]);
    expect((await tickets.transition(number, 'assigned', 'staff:zhang')).handlers).toEqual(['staff:zhang']);
    expect((await tickets.transition(number, 'in_progress', 'staff:zhang')).handlers).toEqual(['staff:zhang']);
    expect((await tickets.transition(number, 'assigned', 'staff:li')).handlers).toEqual(['staff:zhang', 'staff:li']);
    expect((await tickets.transition(number, 'in_progress', 'staff:li')).handlers).toEqual(['staff:zhang', 'staff:li']);
    const resolved = await tickets.transition(number, 'resolved', 'staff:wang', 'answered', answer('王芳'));
    expect(resolved.handlers).toEqual(['staff:zhang', 'staff:li', 'staff:wang']);
    const closed = await tickets.transition(number, 'closed', 'system'); // not a person
    expect(closed.handlers).toEqual(['staff:zhang', 'staff:li', 'staff:wang']);
    expect((await tickets.get(number)).handlers).toEqual(['staff:zhang', 'staff:li', 'staff:wang']); // stored, not only returned
  });

  it('refuses the earlier handlers after an appeal, with the reason on record, and accepts a new one', async () => {
    const number = await answered('h2');
    const reopened = await tickets.transition(number, 'reopened', 'customer', 'appeal: 只退了一半');
    expect(reopened.status).toBe('reopened');

    for (const earlier of ['staff:zhang', 'staff:wang']) {
      await expect(tickets.transition(number, 'assigned', earlier)).rejects.toMatchObject({ code: 'STATE_CONFLICT', message: expect.stringMatching(BEFORE_APPEAL) });
      await expect(tickets.transition(number, 'in_progress', earlier)).rejects.toMatchObject({ code: 'STATE_CONFLICT', message: expect.stringMatching(BEFORE_APPEAL) });
    }
    const refused = await tickets.get(number);
    expect(refused.status).toBe('reopened'); // nothing moved
    const refusals = refused.audit.filter((a) => a.action === 'handler_refused');
    expect(refusals.map((a) => [a.by, a.changes?.to])).toEqual([
      ['staff:zhang', 'assigned'],
      ['staff:zhang', 'in_progress'],
      ['staff:wang', 'assigned'],
      ['staff:wang', 'in_progress'],
    ]);
    expect(refusals.every((a) => BEFORE_APPEAL.test(a.note ?? ''))).toBe(true);

    expect((await tickets.transition(number, 'assigned', 'staff:zhao')).status).toBe('assigned');
    expect((await tickets.transition(number, 'in_progress', 'staff:zhao')).status).toBe('in_progress');
    const again = await tickets.transition(number, 'resolved', 'staff:zhao', 'answered again', answer('赵强'));
    expect(again.handlers).toEqual(['staff:zhang', 'staff:wang', 'staff:zhao']);
  });

  it('puts an appealed complaint back in the queue with no owner, and says so in the audit trail', async () => {
    const number = await answered('h3');
    expect((await tickets.get(number)).owner).toBe('staff:zhang');
    const reopened = await tickets.transition(number, 'reopened', 'customer', 'appeal: 没有说明原因');
    expect(reopened.owner).toBeUndefined();
    expect(reopened.department).toBe('operations'); // the team queue it returns to
    expect(reopened.barredHandlers).toEqual(['staff:zhang', 'staff:wang']);
    expect(reopened.audit.at(-1)).toMatchObject({ by: 'customer', from: 'resolved', to: 'reopened', changes: { owner: null, barredHandlers: ['staff:zhang', 'staff:wang'] } });
  });

  it('lets a supervisor assign the appeal to a new handler, never to an earlier one, and never lets an earlier one hand it on', async () => {
    const number = await answered('h4');
    await tickets.transition(number, 'reopened', 'customer', 'appeal');
    await expect(tickets.assign(number, 'staff:wang', 'staff:chief')).rejects.toMatchObject({ code: 'STATE_CONFLICT', message: expect.stringMatching(BEFORE_APPEAL) });
    await expect(tickets.assign(number, 'staff:zhao', 'staff:zhang')).rejects.toMatchObject({ code: 'STATE_CONFLICT', message: expect.stringMatching(BEFORE_APPEAL) });
    await expect(tickets.assign(number, 'customer', 'staff:chief')).rejects.toMatchObject({ code: 'TICKET_INVALID' });
    const assigned = await tickets.assign(number, 'staff:zhao', 'staff:chief', 'appeal to a new handler');
    expect(assigned).toMatchObject({ status: 'assigned', owner: 'staff:zhao', handlers: ['staff:zhang', 'staff:wang', 'staff:zhao'] });
    expect(assigned.audit.at(-1)).toMatchObject({ by: 'staff:chief', to: 'assigned', changes: { owner: 'staff:zhao' } });
    expect(assigned.handlers).not.toContain('staff:chief'); // handing a complaint on is not handling it
    // Taking it over later, or answering it, is refused to the earlier handlers as well.
    await tickets.transition(number, 'in_progress', 'staff:zhao');
    await expect(tickets.transition(number, 'assigned', 'staff:zhang')).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
    await expect(tickets.transition(number, 'resolved', 'staff:wang', 'answered', answer('王芳'))).rejects.toMatchObject({ code: 'STATE_CONFLICT', message: expect.stringMatching(BEFORE_APPEAL) });
    const after = await tickets.get(number);
    expect([after.status, after.owner]).toEqual(['in_progress', 'staff:zhao']);
    expect(after.audit.filter((a) => a.action === 'handler_refused').map((a) => [a.by, a.changes?.person, a.changes?.to])).toEqual([
      ['staff:chief', 'staff:wang', 'assigned'],
      ['staff:zhang', 'staff:zhang', 'assigned'],
      ['staff:zhang', 'staff:zhang', 'assigned'],
      ['staff:wang', 'staff:wang', 'resolved'],
    ]);
  });

  it('lets a new handler start an appeal straight from the queue, and bars them too after a second appeal', async () => {
    const number = await answered('h5');
    await tickets.transition(number, 'reopened', 'customer', 'appeal');
    expect((await tickets.transition(number, 'in_progress', 'staff:zhao')).owner).toBe('staff:zhao');
    await tickets.transition(number, 'resolved', 'staff:zhao', 'answered again', answer('赵强'));
    await tickets.transition(number, 'closed', 'system');
    const second = await tickets.transition(number, 'reopened', 'customer', 'appeal again');
    expect(second.barredHandlers).toEqual(['staff:zhang', 'staff:wang', 'staff:zhao']);
    await expect(tickets.transition(number, 'in_progress', 'staff:zhao')).rejects.toMatchObject({ code: 'STATE_CONFLICT', message: expect.stringMatching(BEFORE_APPEAL) });
    expect((await tickets.assign(number, 'staff:sun', 'staff:chief')).owner).toBe('staff:sun');
  });
});
