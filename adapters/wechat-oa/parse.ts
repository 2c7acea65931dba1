/**
 * WeChat message (flat XML fields, validated with zod) → botbuilder Activity.
 * Pure: returns `{ unsupported }` for what we cannot read, never throws on a
 * well-formed message. Field list: developers.weixin.qq.com "接收普通消息" /
 * "接收事件推送".
 */
import { ActivityTypes, type Activity } from 'botbuilder';
import { z } from 'zod';

export const WECHAT_OA_CHANNEL = 'wechat-oa';

const str = z.string().max(10_000);
export const envelopeSchema = z
  .object({
    ToUserName: str.min(1),
    FromUserName: str.min(1).max(128),
    CreateTime: z.string().regex(/^\d{1,12}$/),
    MsgType: str.min(1).max(32),
    MsgId: z.string().regex(/^\d{1,20}$/).optional(),
    Content: str.optional(),
    PicUrl: str.optional(),
    MediaId: str.optional(),
    Format: str.optional(),
    Recognition: str.optional(),
    Location_X: str.optional(),
    Location_Y: str.optional(),
    Label: str.optional(),
    Title: str.optional(),
    Description: str.optional(),
    Url: str.optional(),
    Event: str.optional(),
    EventKey: str.optional(),
    Encrypt: str.optional(),
  })
  .passthrough();
export type WeChatEnvelope = z.infer<typeof envelopeSchema>;

export type Parsed =
  | { kind: 'activity'; activity: Partial<Activity> }
  | { kind: 'ignore' } // events that need no turn (unsubscribe, view, scan without follow)
  | { kind: 'unsupported'; msgType: string };

/**
 * The id a retry shares with its first delivery: sender + MsgId, or sender +
 * CreateTime for events (which have none). Always scoped by the sender: MsgIds
 * of different customers may collide (or, in plain mode, be chosen by whoever
 * sends), and one customer must never be answered from another's reply memory.
 */
export function messageKey(e: WeChatEnvelope): string {
  return e.MsgId ? `${e.FromUserName}:${e.MsgId}` : `${e.FromUserName}:${e.CreateTime}:${e.Event ?? e.MsgType}`;
}

/** Menu clicks carry an EventKey "menu:<entry id>" (complaint, progress, person, help, language). */
const MENU_KEY = /^menu:([a-z]+)$/;

export function parseEnvelope(e: WeChatEnvelope): Parsed {
  const base: Partial<Activity> = {
    channelId: WECHAT_OA_CHANNEL,
    id: messageKey(e),
    timestamp: new Date(Number(e.CreateTime) * 1000),
    conversation: { id: e.FromUserName, isGroup: false, conversationType: 'personal', name: '' },
    from: { id: e.FromUserName, name: '', role: 'user' },
    recipient: { id: e.ToUserName, name: '', role: 'bot' },
    serviceUrl: '',
    channelData: { wechat: e },
  };
  const message = (fields: Partial<Activity>): Parsed => ({ kind: 'activity', activity: { ...base, type: ActivityTypes.Message, ...fields } });

  switch (e.MsgType) {
    case 'text':
      return message({ text: e.Content ?? '' });
    case 'image':
      return message({ text: '', attachments: [{ contentType: 'image/jpeg', contentUrl: e.PicUrl, name: e.MediaId }] });
    case 'voice':
      // Recognition is present only when the account enabled speech recognition; otherwise the bot asks to type.
      return message({ text: e.Recognition ?? '', channelData: { wechat: e, voice: true } });
    case 'location':
      return message({
        text: '',
        entities: [{ type: 'GeoCoordinates', latitude: Number(e.Location_X), longitude: Number(e.Location_Y), name: e.Label ?? '' }],
      });
    case 'link':
      return message({ text: [e.Title, e.Url].filter(Boolean).join(' ') });
    case 'event':
      return parseEvent(e, base);
    default:
      return { kind: 'unsupported', msgType: e.MsgType };
  }
}

function parseEvent(e: WeChatEnvelope, base: Partial<Activity>): Parsed {
  switch (e.Event) {
    case 'subscribe':
      return {
        kind: 'activity',
        activity: { ...base, type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: e.FromUserName, name: '' }] },
      };
    case 'CLICK': {
      const entry = MENU_KEY.exec(e.EventKey ?? '')?.[1];
      if (!entry) return { kind: 'ignore' };
      return { kind: 'activity', activity: { ...base, type: ActivityTypes.Message, text: '', value: { menu: entry } } };
    }
    default:
      return { kind: 'ignore' };
  }
}
