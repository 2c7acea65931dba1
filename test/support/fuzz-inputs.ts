/**
 * What the fuzz test (test/integration/fuzz.test.ts) generates, where it needs
 * nothing of the running app: texts, activities good and bad, bodies, methods,
 * content types, odd path segments, WebSocket frames, WeChat XML.
 */
import fc from 'fast-check';
import { buildFrame } from './raw-websocket';

/** JSON arrays nested up to 400 deep (the limit is 64). */
export const nested = fc.nat({ max: 400 }).map((n) => `${'['.repeat(n)}1${']'.repeat(n)}`);
export const text = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('help', '你好', '我要投诉', '1', 'English', '\u0000', '\ud800'));
export const activity = fc.record(
  {
    type: fc.oneof(fc.constantFrom('message', 'event', 'typing', 'invoke', 'conversationUpdate', 'endOfConversation'), fc.string()),
    text,
    locale: fc.oneof(fc.constantFrom('en', 'zh-CN', 'zh-TW', 'xx'), fc.string()),
    from: fc.oneof(fc.record({ id: fc.string(), name: fc.string(), role: fc.string() }), fc.anything()),
    channelData: fc.oneof(fc.object(), fc.anything(), fc.record({ clientActivityID: fc.string() })),
    attachments: fc.oneof(fc.array(fc.record({ contentType: fc.string(), content: fc.anything() }), { maxLength: 12 }), fc.anything()),
    entities: fc.oneof(fc.array(fc.object(), { maxLength: 3 }), fc.anything()),
    value: fc.anything(),
    name: fc.string(),
    textFormat: fc.string(),
  },
  { requiredKeys: [] },
);
export const body = fc.oneof(
  activity.map((a) => JSON.stringify(a)),
  fc.json(),
  fc.string(),
  nested,
  fc.uint8Array({ maxLength: 512 }),
  fc.constantFrom('', 'null', '{', '{"type":', '[]', '"x"', '1e400', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}'),
);
export const method = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('GET', 'POST') }, { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') });
/** Activities the schema accepts, with generated content: these reach storage and the turn. */
export const goodActivity = fc.record(
  {
    type: fc.constantFrom('message', 'message', 'message', 'event', 'typing'),
    text,
    locale: fc.constantFrom('en', 'zh-CN', 'zh-TW', 'fr'),
    channelData: fc.oneof(fc.object({ maxDepth: 3 }), fc.record({ clientActivityID: fc.string({ maxLength: 20 }) })),
    value: fc.anything({ maxDepth: 3 }),
    name: fc.string({ maxLength: 20 }),
    attachments: fc.array(fc.record({ contentType: fc.string({ maxLength: 40 }), content: fc.anything({ maxDepth: 2 }) }), { maxLength: 3 }),
  },
  { requiredKeys: ['type'] },
);
export const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml');
export const oddSegment = fc.oneof(fc.string().map(encodeURIComponent), fc.constantFrom('%', '%E0%A4%A', '..', '%2e%2e', '%00', 'a%2Fb', '~', ''));

const tag = fc.constantFrom('ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Content', 'MsgId', 'Event', 'EventKey', 'PicUrl', 'MediaId', 'Encrypt', 'Unknown');
const value = fc.oneof(fc.string(), fc.constantFrom('text', 'event', 'image', 'subscribe', '123', '-1', '9'.repeat(40)), text);
const fields = fc.dictionary(tag, value, { maxKeys: 8 });
// Structurally valid messages from a few followers, with generated content: these reach the parser and the turn.
const message = fc.record({
  FromUserName: fc.constantFrom('oFuzzUser1', 'oFuzzUser2', 'oFuzzUser3'),
  MsgType: fc.constantFrom('text', 'text', 'text', 'event', 'image', 'voice', 'location', 'link', 'unknown'),
  Content: text,
  Event: fc.constantFrom('subscribe', 'unsubscribe', 'CLICK', 'VIEW', 'x'),
  extra: fc.dictionary(tag, value, { maxKeys: 2 }),
}).map(({ extra, ...f }) => ({ ...extra, ToUserName: 'gh_fuzz', CreateTime: String(Math.floor(Date.now() / 1000)), MsgId: String(Math.floor(Math.random() * 1e15)), ...f }));
/** WeChat callback bodies: well-formed messages with generated content, generated fields, deep nesting, entity tricks, junk. */
export const wechatXml = fc.oneof(
  message.map((f) => `<xml>${Object.entries(f).map(([k, v]) => `<${k}><![CDATA[${String(v).replace(/]]>/g, '')}]]></${k}>`).join('')}</xml>`),
  message.map((f) => `<xml>${Object.entries(f).map(([k, v]) => `<${k}><![CDATA[${String(v).replace(/]]>/g, '')}]]></${k}>`).join('')}</xml>`),
  fields.map((f) => `<xml>${Object.entries(f).map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`).join('')}</xml>`),
  fields.map((f) => `<xml>${Object.entries(f).map(([k, v]) => `<${k}>${v}</${k}>`).join('')}</xml>`),
  fc.nat({ max: 3000 }).map((n) => `<xml>${'<a>'.repeat(n)}${'</a>'.repeat(n)}</xml>`),
  fc.constantFrom(
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>',
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>',
    '<xml>', '', 'not xml', '<xml><ToUserName><![CDATA[x]]></ToUserName>',
  ),
  fc.string(),
);

const frame = fc.record({
  opcode: fc.integer({ min: 0, max: 15 }),
  fin: fc.boolean(),
  rsv1: fc.boolean(),
  masked: fc.boolean(),
  payload: fc.uint8Array({ maxLength: 6000 }).map((u) => Buffer.from(u)),
  declaredLength: fc.option(fc.oneof(fc.nat({ max: 70_000 }), fc.constant(2 ** 40)), { nil: undefined }),
});
/** Bytes for the stream after the handshake: one to three generated frames (any opcode, bits, mask, length), or junk. */
export const frameBytes = fc.oneof(
  fc.array(frame, { minLength: 1, maxLength: 3 }).map((fs) => Buffer.concat(fs.map((f) => buildFrame(f)))),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((u) => Buffer.from(u)),
);
