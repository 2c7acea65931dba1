/** WeChat protocol pieces: Tencent's published vectors, XML safety, message mapping, rendering. */
import { WeChatVerifier } from '../../adapters/wechat-oa/verify';
import { parseWeChatXml, buildWeChatXml } from '../../adapters/tencent/xml';
import { envelopeSchema, messageKey, parseEnvelope } from '../../adapters/wechat-oa/parse';
import { renderText, splitForWeChat } from '../../adapters/tencent/render';

describe("Tencent's published test vectors (WXBizMsgCrypt samples)", () => {
  it.each([
    ['QDG6eK', 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', 'wx5823bf96d3bd56c7', '1409659589', '263014780',
      'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==', '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', '1616140317555161061'],
    ['hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', 'ww1436e0e65a779aee', '1476416373', '47744683',
      'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==', '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb', '1288432023552776189'],
  ])('verifies and decrypts vector for token %s', (token, aesKey, appId, timestamp, nonce, echostr, msgSignature, plaintext) => {
    const verifier = new WeChatVerifier({ token, aesKey, appId, windowSeconds: 300, now: () => Number(timestamp) * 1000 });
    expect(verifier.openEncrypted({ msg_signature: msgSignature, timestamp, nonce }, echostr)).toBe(plaintext);
    // One changed character in the signature, or another receive id, is refused.
    expect(() => verifier.openEncrypted({ msg_signature: msgSignature.replace(/.$/, '0'), timestamp, nonce }, echostr)).toThrow(/msg_signature/);
    const other = new WeChatVerifier({ token, aesKey, appId: 'wx_someone_else', windowSeconds: 300, now: () => Number(timestamp) * 1000 });
    expect(() => other.openEncrypted({ msg_signature: msgSignature, timestamp, nonce }, echostr)).toThrow(/another receive id/);
  });

  it('refuses a timestamp outside the window', () => {
    const v = new WeChatVerifier({ token: 'QDG6eK', appId: 'x', windowSeconds: 300, now: () => 1409659589_000 + 301_000 });
    expect(() => v.verifySignature({ signature: 'x', timestamp: '1409659589', nonce: '1' })).toThrow(/window/);
  });

  it('refuses an empty token or a malformed key at start-up', () => {
    expect(() => new WeChatVerifier({ token: '', appId: 'x', windowSeconds: 1 })).toThrow();
    expect(() => new WeChatVerifier({ token: 't', appId: 'x', aesKey: 'short', windowSeconds: 1 })).toThrow();
  });
});

describe('WeChat XML', () => {
  it('keeps a 64-bit MsgId as a string and reads CDATA', () => {
    const f = parseWeChatXml('<xml><MsgId>6584201234567890123</MsgId><Content><![CDATA[你好 <b>&amp;]]></Content></xml>');
    expect(f.MsgId).toBe('6584201234567890123');
    expect(f.Content).toBe('你好 <b>&amp;');
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Content>&x;</Content></xml>'],
    ['not XML', '{"Content":"hi"}'],
    ['no <xml> root', '<message><Content>hi</Content></message>'],
    ['broken XML', '<xml><Content>hi</xml>'],
  ])('refuses %s', (_name, body) => {
    expect(() => parseWeChatXml(body)).toThrow(expect.objectContaining({ code: 'WECHAT_XML_INVALID' }));
  });

  it('round-trips text with CDATA terminators', () => {
    expect(parseWeChatXml(buildWeChatXml({ Content: 'a ]]> b', CreateTime: 1 })).Content).toBe('a ]]> b');
  });
});

describe('WeChat message mapping', () => {
  const envelope = (fields: Record<string, string>) =>
    envelopeSchema.parse({ ToUserName: 'gh_1', FromUserName: 'openid-1', CreateTime: '1700000000', ...fields });

  it('maps text, voice with and without recognition, image, location, link', () => {
    const text = parseEnvelope(envelope({ MsgType: 'text', Content: '你好', MsgId: '1' }));
    expect(text).toMatchObject({ kind: 'activity', activity: { type: 'message', text: '你好', id: 'openid-1:1', channelId: 'wechat-oa', from: { id: 'openid-1' } } });
    expect(parseEnvelope(envelope({ MsgType: 'voice', Recognition: '我要投诉', MsgId: '2' }))).toMatchObject({ activity: { text: '我要投诉' } });
    expect(parseEnvelope(envelope({ MsgType: 'voice', MsgId: '3' }))).toMatchObject({ activity: { text: '' } });
    expect(parseEnvelope(envelope({ MsgType: 'image', PicUrl: 'http://img', MediaId: 'm', MsgId: '4' }))).toMatchObject({
      activity: { attachments: [{ contentType: 'image/jpeg', contentUrl: 'http://img' }] },
    });
    expect(parseEnvelope(envelope({ MsgType: 'location', Location_X: '31.2', Location_Y: '121.4', Label: '外滩', MsgId: '5' }))).toMatchObject({
      activity: { entities: [{ latitude: 31.2, longitude: 121.4, name: '外滩' }] },
    });
    expect(parseEnvelope(envelope({ MsgType: 'link', Title: '公告', Url: 'http://x', MsgId: '6' }))).toMatchObject({ activity: { text: '公告 http://x' } });
  });

  it('maps follow and menu clicks; ignores other events; flags unsupported types', () => {
    expect(parseEnvelope(envelope({ MsgType: 'event', Event: 'subscribe' }))).toMatchObject({ activity: { type: 'conversationUpdate' } });
    expect(parseEnvelope(envelope({ MsgType: 'event', Event: 'CLICK', EventKey: 'menu:help' }))).toMatchObject({ activity: { type: 'message', value: { menu: 'help' } } });
    expect(parseEnvelope(envelope({ MsgType: 'event', Event: 'unsubscribe' }))).toEqual({ kind: 'ignore' });
    expect(parseEnvelope(envelope({ MsgType: 'video', MediaId: 'v', MsgId: '7' }))).toEqual({ kind: 'unsupported', msgType: 'video' });
  });

  it('keys messages by sender and MsgId, events without MsgId by sender, time and event', () => {
    expect(messageKey(envelope({ MsgType: 'event', Event: 'subscribe' }))).toBe('openid-1:1700000000:subscribe');
    expect(messageKey(envelope({ MsgType: 'text', MsgId: '99' }))).toBe('openid-1:99');
  });
});

describe('rendering for WeChat', () => {
  it('joins messages and turns suggested actions into a numbered list', () => {
    const text = renderText(
      [{ type: 'message', text: '您好' }, { type: 'message', text: '请选择', suggestedActions: { to: [], actions: [{ type: 'imBack', title: '切换语言', value: '切换语言' }, { type: 'imBack', title: '使用帮助', value: '使用帮助' }] } }],
      '（回复数字即可选择）',
    );
    expect(text).toBe('您好\n\n请选择\n1. 切换语言\n2. 使用帮助\n（回复数字即可选择）');
  });

  it('splits long text under the byte limit without losing characters', () => {
    const long = Array.from({ length: 300 }, (_, i) => `第${i}行：很长的说明文字`).join('\n');
    const pieces = splitForWeChat(long, 2000);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((p) => Buffer.byteLength(p) <= 2000)).toBe(true);
    expect(pieces.join('\n')).toBe(long);
    expect(splitForWeChat('长'.repeat(1500), 2000).join('')).toBe('长'.repeat(1500));
  });
});
