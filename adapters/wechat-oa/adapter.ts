/**
 * WeChat Official Account ↔ botbuilder. A message runs one turn through the
 * shared middleware. If the turn ends within the passive-reply budget, its
 * messages go back in the HTTP answer (WeChat waits 5 s, then retries); what
 * does not fit, or comes later, goes through the customer-service API — each
 * message exactly once. A retry of a message never runs a second turn: it gets
 * the first delivery's passive reply (waiting for it if the turn is running).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { AppError } from '../../bot/errors';
import type { Translator } from '../../bot/content/i18n';
import type { WeChatTemplates } from '../../bot/content/schemas';
import type { ChannelNotification, DeliveredAs, ProactiveChannel, Recipient } from '../../bot/channels';
import { DEFAULT_LOCALE } from '../../bot/content/schemas';
import type { Logger } from '../../bot/log';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';
import { localeOfText } from '../../bot/turn/locale';
import { turnLocaleOf } from '../../bot/turn/turn-info';
import type { WeChatApiClient } from './client';
import { messageKey, parseEnvelope, WECHAT_OA_CHANNEL, type WeChatEnvelope } from './parse';
import { numberedChoices, renderText, splitForWeChat } from '../tencent/render';
import type { ServiceWindow } from '../tencent/service-window';

export interface WeChatOaAdapterDeps {
  templates: WeChatTemplates;
  client: WeChatApiClient;
  window: ServiceWindow;
  backend: StateBackend;
  keys: Keys;
  translator: Translator;
  logger: Logger;
  budgetMs: number;
  logic: (context: TurnContext) => Promise<void>;
}

/** Collects a turn's replies while the passive reply is still possible. */
class ReplyCollector {
  open = true;
  readonly buffered: Partial<Activity>[] = [];
}

const COLLECTOR = Symbol('wechatReplyCollector');
const RUNNING = 'running';
/** How long a retry can find the first delivery's answer (WeChat retries within about 15 s). */
const REPLY_MEMORY_MS = 60_000;

export class WeChatOaAdapter extends BotAdapter implements ProactiveChannel {
  readonly channelId = WECHAT_OA_CHANNEL;
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly deps: WeChatOaAdapterDeps) {
    super();
  }

  /** How long a turn may take and still answer in the passive reply (WECHAT_PASSIVE_BUDGET_MS). */
  get passiveBudgetMs(): number {
    return this.deps.budgetMs;
  }

  /** Handles one verified callback; returns the passive reply text, or undefined for "success". */
  async handle(envelope: WeChatEnvelope): Promise<string | undefined> {
    const replyKey = this.deps.keys.inboundReply(WECHAT_OA_CHANNEL, messageKey(envelope));
    const first = await this.deps.backend.set(replyKey, RUNNING, { ttlMs: REPLY_MEMORY_MS, onlyIfAbsent: true });
    if (!first) return this.answerRetry(replyKey);

    const openId = envelope.FromUserName;
    await this.deps.window.customerWrote(openId);
    const parsed = parseEnvelope(envelope);
    let passive: string | undefined;
    if (parsed.kind === 'unsupported') passive = this.deps.translator.t(DEFAULT_LOCALE, 'channel:unsupported');
    else if (parsed.kind === 'activity') passive = await this.runTurn(await this.resolveNumber(parsed.activity as Activity));
    await this.deps.backend.set(replyKey, JSON.stringify({ passive: passive ?? null }), { ttlMs: REPLY_MEMORY_MS });
    return passive;
  }

  /**
   * The polite "please send that again" for a message that could not be taken
   * (the store is down): in the language the message is written in, else zh-CN.
   * Needs no store — the customer's remembered language is out of reach.
   */
  resendLater(envelope: WeChatEnvelope): string {
    const locale = localeOfText(envelope.Content ?? envelope.Recognition) ?? DEFAULT_LOCALE;
    return this.deps.translator.t(locale, 'channel:resendLater');
  }

  private async answerRetry(replyKey: string): Promise<string | undefined> {
    const deadline = Date.now() + this.deps.budgetMs;
    for (;;) {
      const stored = await this.deps.backend.get(replyKey);
      if (stored && stored !== RUNNING) return (JSON.parse(stored) as { passive: string | null }).passive ?? undefined;
      // Still running past the budget: its replies will come by the customer-service API.
      if (Date.now() >= deadline) return undefined;
      await sleep(50);
    }
  }

  /**
   * WeChat has no buttons: menus go out as numbered lists. A reply that is just
   * a number picks that entry of the last list this customer was shown.
   */
  private async resolveNumber(activity: Activity): Promise<Activity> {
    const n = /^\s*(\d{1,2})\s*$/.exec(activity.text ?? '')?.[1];
    if (!n) return activity;
    const stored = await this.deps.backend.get(this.deps.keys.numberedChoices(WECHAT_OA_CHANNEL, activity.from.id));
    const choice = stored ? (JSON.parse(stored) as string[])[Number(n) - 1] : undefined;
    return choice ? { ...activity, text: choice, channelData: { ...activity.channelData, typedNumber: n } } : activity;
  }

  private async rememberChoices(openId: string, activities: Partial<Activity>[]): Promise<void> {
    const choices = numberedChoices(activities);
    const key = this.deps.keys.numberedChoices(WECHAT_OA_CHANNEL, openId);
    if (choices) await this.deps.backend.set(key, JSON.stringify(choices), { ttlMs: 86_400_000 });
    else await this.deps.backend.del(key);
  }

  private async runTurn(activity: Activity): Promise<string | undefined> {
    const context = new TurnContext(this, activity);
    const collector = new ReplyCollector();
    context.turnState.set(COLLECTOR, collector);
    const turn = this.runMiddleware(context, this.deps.logic).then(() => 'done' as const);
    this.track(turn);
    const budget = new AbortController();
    const late = sleep(this.deps.budgetMs, 'late' as const, { signal: budget.signal }).catch(() => 'late' as const);
    const outcome = await Promise.race([turn, late]);
    budget.abort(); // do not keep a timer alive for every finished turn
    collector.open = false; // from here on, every reply goes through the API
    await this.rememberChoices(activity.from.id, collector.buffered);
    const locale = turnLocaleOf(context);
    const text = renderText(collector.buffered, this.deps.translator.t(locale, 'channel:chooseByNumber'));
    const pieces = text ? splitForWeChat(text) : [];
    if (outcome === 'late') {
      this.deps.logger.info({ channel: WECHAT_OA_CHANNEL, budgetMs: this.deps.budgetMs }, 'turn slower than the passive budget: replying through the API');
      this.track(this.sendPieces(activity.from.id, pieces));
      return undefined;
    }
    this.track(this.sendPieces(activity.from.id, pieces.slice(1)));
    return pieces[0];
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const collector = context.turnState.get(COLLECTOR) as ReplyCollector | undefined;
    const real = activities.filter((a) => a.type !== 'delay' && a.type !== 'typing');
    if (collector?.open) {
      collector.buffered.push(...real);
      return real.map(() => ({ id: '' }));
    }
    const openId = context.activity.conversation?.id ?? context.activity.from?.id;
    await this.rememberChoices(openId, real);
    const text = renderText(real, this.deps.translator.t(turnLocaleOf(context), 'channel:chooseByNumber'));
    // A customer's turn (it has a collector) goes on when a late reply cannot be sent: failing it would
    // lose the dialog's progress for a message nobody can receive. A proactive turn learns of the failure.
    await this.sendPieces(openId, text ? splitForWeChat(text) : [], collector === undefined);
    return real.map(() => ({ id: '' }));
  }

  /**
   * Sends through the customer-service API while the window allows. Inside a
   * turn, failures are logged (the customer already got what fitted); for
   * proactive sends (`throwOnFailure`) they are thrown so the caller can retry
   * later or use a template message.
   */
  private async sendPieces(openId: string, pieces: string[], throwOnFailure = false): Promise<void> {
    for (const piece of pieces) {
      let failure: unknown;
      if (!(await this.deps.window.take(openId))) {
        failure = new AppError('CHANNEL_WINDOW_CLOSED', 'customer-service window closed or used up', 409);
      } else {
        try {
          await this.deps.client.sendText(openId, piece);
        } catch (error) {
          failure = error;
          await this.believeWindowError(openId, error);
        }
      }
      if (failure === undefined) continue;
      this.deps.logger.warn({ err: failure, code: failure instanceof AppError ? failure.code : 'INTERNAL', openId }, 'WeChat send failed');
      if (throwOnFailure) throw failure;
      return;
    }
  }

  /**
   * WeChat's own word on the window wins over our record: 45015 (outside the
   * window) closes it, 45047 (too many messages) uses up its allowance, until
   * the customer writes again ("客服消息" doc). True when `error` was one of them.
   */
  private async believeWindowError(openId: string, error: unknown): Promise<boolean> {
    const code = error instanceof AppError ? error.code : undefined;
    if (code === 'CHANNEL_WINDOW_CLOSED') await this.deps.window.close(openId);
    else if (code === 'CHANNEL_QUOTA_EXCEEDED') await this.deps.window.useUp(openId);
    else return false;
    return true;
  }

  /** Customer-service messages while the window allows; false (nothing more sent) once it does not. */
  private async sendInWindow(openId: string, text: string): Promise<boolean> {
    for (const piece of splitForWeChat(text)) {
      if (!(await this.deps.window.take(openId))) return false;
      try {
        await this.deps.client.sendText(openId, piece);
      } catch (error) {
        if (await this.believeWindowError(openId, error)) return false;
        throw error; // token, busy or other errors: the caller retries later
      }
    }
    return true;
  }

  /**
   * Proactive delivery (status updates): a customer-service message while the
   * 48-hour window and its allowance allow (each piece of a long text counts);
   * outside it — by our record, or because WeChat answered 45015 or 45047 — a
   * template message when the bank has configured one
   * (content/policy/wechat-templates.json); otherwise CHANNEL_WINDOW_CLOSED,
   * so the caller keeps the notification for later.
   */
  async notify(recipient: Recipient, notification: ChannelNotification): Promise<DeliveredAs> {
    const openId = recipient.customerId;
    if (notification.choices?.length) {
      // No buttons on WeChat: the choices go out as a numbered list, and "1", "2" … pick from it next.
      const offered: Partial<Activity> = { type: 'message', text: notification.text, suggestedActions: { to: [], actions: notification.choices.map((c) => ({ type: 'imBack', title: c, value: c })) } };
      const hint = this.deps.translator.t(notification.locale ?? DEFAULT_LOCALE, 'channel:chooseByNumber');
      if (await this.sendInWindow(openId, renderText([offered], hint))) {
        await this.rememberChoices(openId, [offered]);
        return 'message';
      }
    } else if (await this.sendInWindow(openId, notification.text)) return 'message';
    const template = notification.template && this.deps.templates.templates[notification.template.name];
    if (!template?.templateId || !notification.template) {
      throw new AppError('CHANNEL_WINDOW_CLOSED', 'outside the customer-service window and no template configured', 409);
    }
    const values = notification.template.values;
    const fill = (text: string) => text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, k: string) => values[k] ?? '');
    const data = Object.fromEntries(Object.entries(template.fields).map(([field, text]) => [field, { value: fill(text) }]));
    await this.deps.client.sendTemplate(openId, template.templateId, data, template.url);
    return 'template';
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch((error: unknown) => this.deps.logger.error({ err: error }, 'WeChat background work failed')).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  /** Resolves when every turn and send started by this adapter has finished (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  async updateActivity(): Promise<void> {
    throw new AppError('BAD_REQUEST', 'WeChat messages cannot be edited', 400);
  }

  async deleteActivity(): Promise<void> {
    throw new AppError('BAD_REQUEST', 'WeChat messages cannot be recalled by the bot', 400);
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true) as Activity;
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
