/**
 * WeCom customer service (微信客服) ↔ botbuilder. Pulled items (puller.ts) run
 * through the shared turn pipeline, one customer's in order; a turn's replies
 * are sent together when it ends — as one text, or as the platform's menu
 * (msgmenu) when they offer choices — within the reply window (48 hours, five
 * messages per customer message, tencent/service-window.ts). Events: entering
 * a session gets the welcome through its event code, a failed send is
 * believed, and a session WeCom's people take or end is recorded (sessions.ts):
 * while people hold it the bot is silent; once it ends the next message starts
 * a new conversation. With WECOM_KF_HANDOFF=wecom, a handoff moves the session
 * to WeCom's servicers (after the turn's replies, which the platform allows
 * only while the bot holds the session).
 */
import { randomUUID } from 'node:crypto';
import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { AppError } from '../../bot/errors';
import type { ChannelNotification, DeliveredAs, NativeHandoff, ProactiveChannel, Recipient } from '../../bot/channels';
import type { Translator } from '../../bot/content/i18n';
import { DEFAULT_LOCALE } from '../../bot/content/schemas';
import type { Logger } from '../../bot/log';
import type { ServiceWindow } from '../tencent/service-window';
import { KfState, WECOM_KF_CHANNEL, type KfMessage, type WeComKfClient } from './client';
import { customerIdOf, Origin, readItem, splitCustomerId, type KfEvent, type KfItem } from './messages';
import { kfMessages } from './render';
import type { KfSessions } from './sessions';

export interface KfAdapterDeps {
  client: WeComKfClient;
  window: ServiceWindow;
  sessions: KfSessions;
  translator: Translator;
  logger: Logger;
  logic: (context: TurnContext) => Promise<void>;
  /** Where a handoff goes: our desk (replies through send_msg) or WeCom's own servicers. */
  handoff: 'desk' | 'wecom';
  /** The servicer a WeCom handoff goes to; none: the waiting pool. */
  servicer?: string;
}

const COLLECTOR = Symbol('kfReplies');
/** A welcome code is valid 20 s after the event (PROTOCOLS.md); past that, sending with it fails. */
const WELCOME_VALID_MS = 20_000;
/** session_status_change: 1 taken from the pool, 2 transferred, 3 ended, 4 taken again (PROTOCOLS.md). */
const SESSION_ENDED = 3;
/** msg_send_fail types that mean the allowance is used up or the session is over. */
const FAIL_LIMIT = new Set([1, 10, 11, 12, 13]);

export class WeComKfAdapter extends BotAdapter implements ProactiveChannel {
  readonly channelId = WECOM_KF_CHANNEL;
  readonly nativeHandoff?: NativeHandoff;
  /** Customers whose turn is running on this instance, and those of them to hand to WeCom's people after it. */
  private readonly turning = new Set<string>();
  private readonly toTransfer = new Set<string>();

  constructor(private readonly deps: KfAdapterDeps) {
    super();
    if (deps.handoff === 'wecom') this.nativeHandoff = { handOver: (recipient) => this.handOver(recipient.customerId) };
  }

  /** One pulled page: each customer's items in order, customers side by side. Rejects (the page is pulled again) on a store fault. */
  async handlePage(items: KfItem[]): Promise<void> {
    const byCustomer = new Map<string, KfItem[]>();
    for (const item of items) {
      const who = item.external_userid ?? item.event?.external_userid ?? '';
      byCustomer.set(who, [...(byCustomer.get(who) ?? []), item]);
    }
    await Promise.all([...byCustomer.values()].map(async (list) => {
      for (const item of list) await this.handleItem(item);
    }));
  }

  private async handleItem(item: KfItem): Promise<void> {
    const external = item.external_userid ?? item.event?.external_userid;
    if (!external) return;
    const customerId = customerIdOf(item.open_kfid, external);
    let session = await this.deps.sessions.current(customerId);
    if (item.origin === Origin.Customer && session.withPeople) {
      // WeCom's people hold the session: what the customer writes is theirs to answer.
      if (await this.stillWithPeople(customerId)) return;
      session = await this.deps.sessions.ended(customerId);
    }
    const { conversationId } = session;
    const pulled = readItem(item, conversationId);
    switch (pulled.kind) {
      case 'customer':
        await this.deps.window.customerWrote(customerId);
        return this.runTurn(pulled.activity as Activity);
      case 'unsupported': {
        await this.deps.window.customerWrote(customerId);
        const text = this.deps.translator.t(DEFAULT_LOCALE, 'channel:unsupported');
        return void (await this.send(customerId, [{ msgtype: 'text', text: { content: text } }], false));
      }
      case 'event':
        return this.handleEvent(customerId, conversationId, pulled.event, item);
      default:
        return;
    }
  }

  /**
   * Our record says WeCom's people hold the session (from the handoff or the platform's event): the platform
   * is asked again before staying silent, so a missed "session ended" event cannot leave the customer
   * unanswered for good. If it cannot be asked, the record stands.
   */
  private async stillWithPeople(customerId: string): Promise<boolean> {
    const { openKfId, externalUserId } = splitCustomerId(customerId);
    const state = await this.deps.client.serviceState(openKfId, externalUserId).then((s) => s.state, () => KfState.Servicer);
    return state === KfState.Pool || state === KfState.Servicer;
  }

  private async handleEvent(customerId: string, conversationId: string, event: KfEvent, item: KfItem): Promise<void> {
    const log = { channel: WECOM_KF_CHANNEL, event: event.event_type };
    switch (event.event_type) {
      case 'enter_session': {
        const code = event.welcome_code;
        // No code: a welcome went out in the last 48 hours. A stale code cannot be used any more (the
        // platform's clock, as the callback timestamps: not the app's, which tests move).
        if (!code || Date.now() - item.send_time * 1000 > WELCOME_VALID_MS) return;
        const joined = {
          type: ActivityTypes.ConversationUpdate, id: item.msgid, channelId: WECOM_KF_CHANNEL, timestamp: new Date(item.send_time * 1000),
          from: { id: customerId, name: '' }, recipient: { id: item.open_kfid, name: '' }, membersAdded: [{ id: customerId, name: '' }],
          conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' }, serviceUrl: '',
        } as Activity;
        return this.runTurn(joined, async (messages) => {
          // One message per event code: the first (the greeting and its menu, together) goes with the code.
          if (messages[0]) await this.deps.client.sendOnEvent(code, messages[0], ourMsgId());
        });
      }
      case 'msg_send_fail':
        this.deps.logger.warn({ ...log, failType: event.fail_type }, 'kf message not delivered');
        if (FAIL_LIMIT.has(event.fail_type ?? -1)) await this.deps.window.useUp(customerId);
        return;
      case 'session_status_change':
        if (event.change_type === SESSION_ENDED) await this.deps.sessions.ended(customerId);
        else await this.deps.sessions.handedToPeople(customerId);
        this.deps.logger.info({ ...log, changeType: event.change_type }, 'kf session changed');
        return;
      default:
        return;
    }
  }

  /** Runs a turn, then sends its replies together (or through `deliver`), then any handoff to WeCom's people it asked for. */
  private async runTurn(activity: Activity, deliver?: (messages: KfMessage[]) => Promise<void>): Promise<void> {
    const customerId = activity.from.id;
    const context = new TurnContext(this, activity);
    const replies: Partial<Activity>[] = [];
    context.turnState.set(COLLECTOR, replies);
    this.turning.add(customerId);
    try {
      await this.runMiddleware(context, this.deps.logic);
      const messages = kfMessages(replies);
      if (deliver) await deliver(messages).catch((error: unknown) => this.deps.logger.warn({ err: error, channel: WECOM_KF_CHANNEL }, 'kf welcome not sent'));
      else await this.send(customerId, messages, false);
    } finally {
      context.turnState.delete(COLLECTOR);
      this.turning.delete(customerId);
    }
    if (this.toTransfer.delete(customerId)) await this.transfer(customerId);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const real = activities.filter((a) => a.type !== 'delay' && a.type !== 'typing');
    const collected = context.turnState.get(COLLECTOR) as Partial<Activity>[] | undefined;
    if (collected) collected.push(...real);
    // Outside a customer's turn (a proactive turn): send now, and let the caller know when it cannot.
    else await this.send(context.activity.from?.id ?? context.activity.conversation.id, kfMessages(real), true);
    return real.map(() => ({ id: '' }));
  }

  /** Sends within the reply window; false (and nothing more sent) once it is closed or used up. */
  private async send(customerId: string, messages: KfMessage[], throwOnFailure: boolean): Promise<boolean> {
    const { openKfId, externalUserId } = splitCustomerId(customerId);
    for (const message of messages) {
      let failure: unknown;
      if (!(await this.deps.window.take(customerId))) failure = new AppError('CHANNEL_WINDOW_CLOSED', 'kf reply window closed or used up', 409);
      else {
        try {
          await this.deps.client.sendMsg(openKfId, externalUserId, message, ourMsgId());
        } catch (error) {
          failure = error;
          const code = error instanceof AppError ? error.code : undefined;
          if (code === 'CHANNEL_QUOTA_EXCEEDED') await this.deps.window.useUp(customerId);
          if (code === 'CHANNEL_WINDOW_CLOSED') await this.deps.window.close(customerId);
        }
      }
      if (failure === undefined) continue;
      this.deps.logger.warn({ err: failure, code: failure instanceof AppError ? failure.code : 'INTERNAL', channel: WECOM_KF_CHANNEL }, 'kf send failed');
      if (throwOnFailure) throw failure;
      return false;
    }
    return true;
  }

  /** Status notices and desk replies: a message while the window allows, else CHANNEL_WINDOW_CLOSED (kept for later). */
  async notify(recipient: Recipient, notification: ChannelNotification): Promise<DeliveredAs> {
    const offered: Partial<Activity> = {
      type: 'message', text: notification.text,
      ...(notification.choices?.length ? { suggestedActions: { to: [], actions: notification.choices.map((c) => ({ type: 'imBack', title: c, value: c })) } } : {}),
    };
    await this.send(recipient.customerId, kfMessages([offered]), true);
    return 'message';
  }

  /** A handoff to WeCom's people: after the running turn's replies if one is running here, else now. */
  private async handOver(customerId: string): Promise<void> {
    if (this.turning.has(customerId)) this.toTransfer.add(customerId);
    else await this.transfer(customerId);
  }

  /** To the named servicer when one is configured and on duty, else to the waiting pool. */
  private async transfer(customerId: string): Promise<void> {
    const { openKfId, externalUserId } = splitCustomerId(customerId);
    const { servicer } = this.deps;
    try {
      try {
        await this.deps.client.transfer(openKfId, externalUserId, servicer ? KfState.Servicer : KfState.Pool, servicer);
      } catch (error) {
        if (!(servicer && error instanceof AppError && error.code === 'CHANNEL_NOBODY_ON_DUTY')) throw error;
        await this.deps.client.transfer(openKfId, externalUserId, KfState.Pool);
      }
      await this.deps.sessions.handedToPeople(customerId);
    } catch (error) {
      this.deps.logger.error({ err: error, channel: WECOM_KF_CHANNEL }, 'kf handoff to WeCom servicers failed');
    }
  }

  async updateActivity(): Promise<void> {
    throw new AppError('BAD_REQUEST', 'kf messages cannot be edited', 400);
  }

  async deleteActivity(): Promise<void> {
    throw new AppError('BAD_REQUEST', 'kf messages cannot be recalled by the bot', 400);
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true) as Activity;
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

/** Our msgid for a send (≤ 32 characters, unique per kf account). */
const ourMsgId = () => randomUUID().replace(/-/g, '');
