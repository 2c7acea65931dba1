/**
 * What kf/sync_msg gives (PROTOCOLS.md), validated with zod before anything
 * reads it, and one pulled item as what the adapter does with it: a customer's
 * message as an Activity, a platform event, a servicer's message, or nothing.
 * Pure: no I/O.
 */
import { ActivityTypes, type Activity } from 'botbuilder';
import { z } from 'zod';

const id = z.string().min(1).max(128);

const eventSchema = z.object({
  event_type: z.string().max(64),
  open_kfid: z.string().max(128).optional(),
  external_userid: z.string().max(128).optional(),
  welcome_code: z.string().max(512).optional(),
  fail_msgid: z.string().max(128).optional(),
  fail_type: z.number().int().optional(),
  change_type: z.number().int().optional(),
  new_servicer_userid: z.string().max(128).optional(),
  msg_code: z.string().max(512).optional(),
}).passthrough();

export const itemSchema = z.object({
  msgid: id,
  open_kfid: id,
  external_userid: z.string().max(128).optional(),
  send_time: z.number().int().nonnegative(),
  origin: z.number().int(),
  servicer_userid: z.string().max(128).optional(),
  msgtype: z.string().max(32),
  text: z.object({ content: z.string().max(20_000), menu_id: z.string().max(256).optional() }).optional(),
  location: z.object({ latitude: z.number(), longitude: z.number(), name: z.string().max(512).optional(), address: z.string().max(512).optional() }).optional(),
  link: z.object({ title: z.string().max(512).optional(), url: z.string().max(2048).optional() }).optional(),
  event: eventSchema.optional(),
}).passthrough();

export type KfItem = z.infer<typeof itemSchema>;
export type KfEvent = z.infer<typeof eventSchema>;

/** A page; an item that does not validate is kept aside (logged by the puller), never stops the page. */
export const syncAnswerSchema = z.object({
  next_cursor: z.string().max(512).optional(),
  has_more: z.number().int().min(0).max(1).default(0),
  msg_list: z.array(z.unknown()).max(1000).default([]),
});
export type SyncAnswer = z.infer<typeof syncAnswerSchema>;

/** Item origins: 3 the customer, 4 a system event, 5 a human servicer (in WeCom). */
export const Origin = { Customer: 3, Event: 4, Servicer: 5 } as const;

/** One customer of one kf account: how tickets, state and notices name them. */
export const customerIdOf = (openKfId: string, externalUserId: string) => `${openKfId}:${externalUserId}`;

export function splitCustomerId(customerId: string): { openKfId: string; externalUserId: string } {
  const at = customerId.indexOf(':');
  return { openKfId: customerId.slice(0, at), externalUserId: customerId.slice(at + 1) };
}

export type Pulled =
  | { kind: 'customer'; customerId: string; activity: Partial<Activity> }
  | { kind: 'unsupported'; customerId: string; msgType: string }
  | { kind: 'event'; customerId: string; event: KfEvent }
  | { kind: 'servicer'; customerId: string; text: string }
  | { kind: 'ignore' };

/** What a validated item is; `conversationId` is the customer's current session (a new one after a session ended). */
export function readItem(item: KfItem, conversationId: string): Pulled {
  const external = item.external_userid ?? item.event?.external_userid;
  if (!external) return { kind: 'ignore' };
  const customerId = customerIdOf(item.open_kfid, external);
  if (item.origin === Origin.Event && item.event) return { kind: 'event', customerId, event: item.event };
  if (item.origin === Origin.Servicer) return { kind: 'servicer', customerId, text: item.text?.content ?? `[${item.msgtype}]` };
  if (item.origin !== Origin.Customer) return { kind: 'ignore' };
  const base: Partial<Activity> = {
    id: item.msgid,
    channelId: 'wecom-kf',
    timestamp: new Date(item.send_time * 1000),
    from: { id: customerId, name: '' },
    recipient: { id: item.open_kfid, name: '' },
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
    serviceUrl: '',
  };
  const message = (fields: Partial<Activity>): Pulled => ({ kind: 'customer', customerId, activity: { ...base, type: ActivityTypes.Message, ...fields } });
  switch (item.msgtype) {
    case 'text':
      // A tap on one of our menus arrives as its item's words, with the item's id beside them.
      return message({ text: item.text?.content ?? '', ...(item.text?.menu_id ? { channelData: { menuId: item.text.menu_id } } : {}) });
    case 'location': {
      const l = item.location;
      return l ? message({ text: [l.name, l.address].filter(Boolean).join(' '), entities: [{ type: 'GeoCoordinates', latitude: l.latitude, longitude: l.longitude, name: l.name ?? '' }] }) : { kind: 'ignore' };
    }
    case 'link':
      return message({ text: [item.link?.title, item.link?.url].filter(Boolean).join(' ') });
    default:
      return { kind: 'unsupported', customerId, msgType: item.msgtype };
  }
}
