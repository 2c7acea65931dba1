/**
 * Direct Line "Reconnect": GET /conversations/{id}?watermark=N gives a stream
 * URL that resumes after what the client has already seen, not from the start.
 */
import WebSocket from 'ws';
import type { TurnContext } from 'botbuilder';
import { activities, http, postMessage, startConversation, startTestApp, waitFor, type TestApp } from '../support/harness';

const echo = async (context: TurnContext) => {
  if (context.activity.type === 'message') await context.sendActivity(`echo ${context.activity.text}`);
};

function firstFrame(url: string): Promise<{ activities: { text?: string }[]; watermark: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => reject(new Error('no frame')), 5000);
    ws.on('message', (data) => {
      const text = data.toString();
      if (!text) return; // keep-alive
      clearTimeout(timer);
      ws.close();
      resolve(JSON.parse(text));
    });
    ws.on('error', reject);
  });
}

describe('reconnecting with a watermark', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ turnLogic: echo });
  });
  afterAll(() => t.close());

  it('resumes the stream after the watermark', async () => {
    const conv = await startConversation(t.url);
    for (const text of ['one', 'two', 'three']) {
      await postMessage(t.url, conv, text);
      await waitFor(() => activities(t.url, conv), (s) => s.activities.some((a) => a.text === `echo ${text}`));
    }
    const all = await activities(t.url, conv);
    const seen = all.activities.findIndex((a) => a.text === 'echo two') + 1;
    const again = await http<{ streamUrl: string }>('GET', `${t.url}/v3/directline/conversations/${conv.conversationId}?watermark=${seen}`, { token: conv.token });
    expect(again.status).toBe(200);
    const frame = await firstFrame(again.body.streamUrl);
    expect(frame.activities.map((a) => a.text)).toEqual(all.activities.slice(seen).map((a) => a.text));
    expect(frame.activities[0]?.text).toBe('three');
    expect(frame.watermark).toBe(String(all.activities.length));
  });

  it('refuses a watermark that is not a whole number', async () => {
    const conv = await startConversation(t.url);
    const r = await http<any>('GET', `${t.url}/v3/directline/conversations/${conv.conversationId}?watermark=1e20`, { token: conv.token });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_REQUEST');
  });
});
