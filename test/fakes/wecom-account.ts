/** The test bank's WeCom settings, and a customer of its 微信客服 account talking through the fake platform. */
import { FakeWeComServer } from './wecom-server';

export const CORP_ID = 'ww1436e0e65a779aee';
export const KF_SECRET = 'test-kf-secret';
export const AGENT_SECRET = 'test-agent-secret';
export const AGENT_ID = '1000002';
export const KF_TOKEN = 'kfToken2026';
export const KF_AES_KEY = '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt';
export const OPEN_KFID = 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q';

export function fakeWeCom(): FakeWeComServer {
  return new FakeWeComServer(CORP_ID, [KF_SECRET, AGENT_SECRET], { token: KF_TOKEN, aesKey: KF_AES_KEY }, [OPEN_KFID]);
}

/** The app's WECOM_* settings, its API calls going to `fake`. */
export function wecomEnv(fake: FakeWeComServer, extra: Record<string, string> = {}): Record<string, string> {
  return { WECOM_CORP_ID: CORP_ID, WECOM_KF_SECRET: KF_SECRET, WECOM_KF_TOKEN: KF_TOKEN, WECOM_KF_AES_KEY: KF_AES_KEY, WECOM_API_BASE_URL: fake.url, ...extra };
}

let n = 0;
/** An external_userid as WeCom gives them (wm + 30 letters, digits, - and _). */
export function externalUserId(): string {
  n++;
  return `wmAJ2GCAAA${String(n).padStart(4, '0')}${Math.random().toString(36).slice(2, 12).padEnd(10, 'x')}xxxxxx`;
}

/** One customer: writes (and taps menu items) and waits for the bot's answers through the platform. */
export class KfCustomer {
  readonly external = externalUserId();
  constructor(private readonly fake: FakeWeComServer, private readonly botUrl: string, readonly openKfId = OPEN_KFID) {}

  /** Everything sent to this customer so far (texts, menus as head + [items]). */
  received(): string[] {
    return this.fake.textsTo(this.external);
  }

  /** Writes `text`, delivers the callback, and waits until `replies` more messages reached the customer. */
  async says(text: string, replies = 1, menuId?: string): Promise<string> {
    const before = this.received().length;
    this.fake.customerWrites(this.openKfId, this.external, text, menuId);
    const answer = await this.fake.deliverCallback(this.botUrl, this.openKfId);
    if (answer.status !== 200) throw new Error(`callback answered ${answer.status}: ${answer.body}`);
    await until(() => this.received().length >= before + replies, `${replies} replies to "${text}"`);
    return this.received().slice(before).join('\n');
  }

  /** The last menu sent to this customer: its items' words and ids, to tap one. */
  lastMenu(): Array<{ id: string; content: string }> {
    const menu = [...this.fake.sent].reverse().find((m) => (m.body.touser === this.external || m.body.external === this.external) && m.body.msgtype === 'msgmenu');
    return menu ? menu.body.msgmenu.list.map((x: { click: { id: string; content: string } }) => x.click) : [];
  }
}

export async function until(probe: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
