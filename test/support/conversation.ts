/** Scripted conversations over the real Direct Line HTTP endpoints: say something, read the bot's answers. */
import { activities, postMessage, startConversation, type TestApp } from './harness';

export class ScriptedCustomer {
  private constructor(
    private readonly app: TestApp,
    readonly conv: { conversationId: string; token: string },
  ) {}

  private get base(): string {
    return this.app.url;
  }

  static async start(app: TestApp, locale?: string): Promise<ScriptedCustomer> {
    return new ScriptedCustomer(app, await startConversation(app.url, locale));
  }

  /** The same conversation, through another bot instance (as after a restart or behind a load balancer). */
  via(app: TestApp): ScriptedCustomer {
    return new ScriptedCustomer(app, this.conv);
  }

  /** No turn of this conversation is running: its lock in Redis is free (held from before the first reply until after the last). */
  private async idle(): Promise<boolean> {
    return (await this.app.backend.get(this.app.app.keys.turnLock(`directline:${this.conv.conversationId}`))) === null;
  }

  /** All bot texts so far, joined per activity. */
  async transcript(): Promise<any[]> {
    const body = await activities(this.base, this.conv);
    // A 503 (Redis slow on a loaded machine) answers with an error body: the caller polls again, as Web Chat does.
    if (!Array.isArray(body?.activities)) throw new TransientRead(JSON.stringify(body).slice(0, 200));
    return body.activities;
  }

  /** Waits for the bot's greeting after the conversation started. */
  async greeting(): Promise<any[]> {
    return this.settle(async () => (await this.transcript()).filter((a) => a.from.role === 'bot'));
  }

  /** Sends a message; returns the bot's replies to it once they stop arriving. */
  async say(text: string, extra: Record<string, unknown> = {}): Promise<any[]> {
    const posted = await postMessage(this.base, this.conv, text, extra);
    if (posted.status !== 200) throw new Error(`post failed: ${posted.status} ${JSON.stringify(posted.body)}`);
    const id = posted.body.id;
    return this.settle(async () => (await this.transcript()).filter((a) => a.replyToId === id));
  }

  // Generous: a reply ends the wait as soon as it is in; only a loaded machine (CI beside a benchmark) comes near this.
  private async settle(read: () => Promise<any[]>, timeoutMs = 15_000): Promise<any[]> {
    const deadline = Date.now() + timeoutMs;
    let last: any[] = [];
    let stableSince = Date.now();
    for (;;) {
      let now: any[];
      try {
        now = await read();
      } catch (error) {
        if (!(error instanceof TransientRead) || Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (now.length !== last.length) {
        last = now;
        stableSince = Date.now();
      } else if (now.length > 0 && Date.now() - stableSince > 20 && (await this.idle())) {
        // The turn has answered and finished: every reply of it is in.
        return now;
      }
      if (Date.now() > deadline) throw new Error(`no reply within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export const texts = (replies: any[]) => replies.map((a) => a.text as string).join('\n');
export const buttons = (replies: any[]) => replies.flatMap((a) => (a.suggestedActions?.actions ?? []).map((x: any) => x.title as string));

/** The activities could not be read this time (the store answered 503): poll again. */
class TransientRead extends Error {}
