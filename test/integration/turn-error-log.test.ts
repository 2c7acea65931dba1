/**
 * A turn that throws on the WeChat channel, run through the real turn pipeline
 * (ObserveMiddleware's per-turn child logger, the shared turn error handler)
 * on botbuilder's own TestAdapter, with the logger writing to a stream we read:
 * the log line names the failure and the turn, never the customer's openid,
 * phone number or card number, not even inside the error.
 */
import { Writable } from 'node:stream';
import { TestAdapter, type TurnContext } from 'botbuilder';
import { createLogger } from '../../bot/log';
import { BotMetrics } from '../../bot/metrics';
import { loadContent } from '../../bot/content/loader';
import { createI18n, I18nTranslator } from '../../bot/content/i18n';
import { InFlightTurns, ObserveMiddleware } from '../../bot/turn/middleware';
import { createTurnErrorHandler } from '../../bot/turn/turn-error';
import { turnLoggerOf } from '../../bot/turn/turn-info';

const OPENID = 'oT9Xs5AbcDef_ghIJk-123456789';
const PHONE = '13812345678';
const CARD = '6222021234567890123';

function pipeline(logic: (context: TurnContext) => Promise<void>) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', hashKey: 'test-hash-key', destination: new Writable({ write(c, _e, done) { lines.push(String(c)); done(); } }) });
  const translator = new I18nTranslator(createI18n(loadContent()));
  const adapter = new TestAdapter(logic, {
    channelId: 'wechat-oa',
    from: { id: OPENID, name: '' },
    recipient: { id: 'gh_bank', name: '' },
    conversation: { id: OPENID, isGroup: false, conversationType: 'personal', name: '' },
  });
  adapter.use(new ObserveMiddleware(logger, new BotMetrics(), new InFlightTurns()));
  adapter.onTurnError = createTurnErrorHandler(translator, logger);
  return { adapter, lines };
}

describe('a turn that throws on the WeChat channel', () => {
  it('logs the failure with a hashed customer id and no personal data, error included', async () => {
    const { adapter, lines } = pipeline(async (context) => {
      // What a real failure can carry: the text, the sender, and an ioredis error with the command's arguments.
      const cause = Object.assign(new Error(`ERR for key window:wechat-oa:${OPENID}`), { command: { name: 'set', args: [`choices:wechat-oa:${OPENID}`, PHONE] } });
      throw new Error(`cannot handle "${context.activity.text}" from ${context.activity.from.id}`, { cause });
    });
    await adapter.send(`我的电话${PHONE}，卡号${CARD}`).assertReply((reply) => expect(reply.text).toMatch(/参考编号|ref|编号/i));
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(0);
    const failed = lines.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l.msg === 'turn failed');
    expect(failed).toBeDefined();
    expect(failed!.channel).toBe('wechat-oa');
    expect(failed!.userId).toMatch(/^h:[\w-]{16}$/); // bound by the per-turn child logger, hashed
    expect(failed!.err.message).toContain('138****5678');
    expect(failed!.err.cause.command).toEqual({ name: 'set', args: '[2 arguments hidden]' });
    expect(log).not.toContain(OPENID);
    expect(log).not.toContain(PHONE);
    expect(log).not.toContain(CARD);
  });

  it('keeps the turn logger\'s bindings safe for whatever the dialogs log during the turn', async () => {
    const { adapter, lines } = pipeline(async (context) => {
      turnLoggerOf(context, undefined as never).info({ said: context.activity.text }, 'dialog step');
      await context.sendActivity('ok');
    });
    await adapter.send(`身份证110101199003071234 电话${PHONE}`).assertReply('ok');
    const line = JSON.parse(lines[0]!) as Record<string, any>;
    expect(line.userId).toMatch(/^h:/);
    expect(line.said).toBe('身份证[身份证号已隐藏/ID hidden] 电话138****5678');
    expect(lines.join('')).not.toContain(OPENID);
  });
});
