/**
 * Every Redis key the application uses is named here, so the key space can be
 * read in one place and the prefix (one per deployment, one per test run) is
 * applied consistently.
 */
export class Keys {
  constructor(readonly prefix: string) {}

  botState(storageKey: string): string {
    return `${this.prefix}state:${storageKey}`;
  }
  inboundSeen(channelId: string, messageId: string): string {
    return `${this.prefix}seen:${channelId}:${messageId}`;
  }
  turnLock(conversationKey: string): string {
    return `${this.prefix}lock:turn:${conversationKey}`;
  }
  directLineConversation(conversationId: string): string {
    return `${this.prefix}dl:conv:${conversationId}`;
  }
  // A conversation's transcript, client-id claims and inbox cursor carry the id as a {hash tag}:
  // one Lua script touches them together, so under Redis Cluster they must share a slot.
  directLineActivities(conversationId: string): string {
    return `${this.prefix}dl:acts:{${conversationId}}`;
  }
  directLineClientIds(conversationId: string, clientActivityId: string): string {
    return `${this.prefix}dl:client:{${conversationId}}:${clientActivityId}`;
  }
  /** How far the inbox has run turns in the transcript (an index into directLineActivities). */
  directLineCursor(conversationId: string): string {
    return `${this.prefix}dl:cursor:{${conversationId}}`;
  }
  /** Conversations with customer activities accepted but perhaps not yet run (sorted by acceptance time). */
  directLinePending(): string {
    return `${this.prefix}dl:pending`;
  }
  directLineAttempts(activityId: string): string {
    return `${this.prefix}dl:attempts:${activityId}`;
  }
  directLineSweepLock(): string {
    return `${this.prefix}lock:dl-sweep`;
  }
  directLineEvents(conversationId: string): string {
    return `${this.prefix}dl:events:${conversationId}`;
  }
  channelToken(channel: string, appId: string): string {
    return `${this.prefix}token:${channel}:${appId}`;
  }
  channelTokenLock(channel: string, appId: string): string {
    return `${this.prefix}lock:token:${channel}:${appId}`;
  }
  serviceWindow(channel: string, customerId: string): string {
    return `${this.prefix}window:${channel}:${customerId}`;
  }
  serviceWindowSends(channel: string, customerId: string): string {
    return `${this.prefix}window:${channel}:${customerId}:sent`;
  }
  inboundReply(channel: string, messageKey: string): string {
    return `${this.prefix}reply:${channel}:${messageKey}`;
  }
  /** A WeChat callback's timestamp + nonce, holding the hash of the body first seen with them (replay guard). */
  wechatNonce(timestamp: string, nonce: string): string {
    return `${this.prefix}wechat:nonce:${timestamp}:${nonce}`;
  }
  ticket(number: string): string {
    return `${this.prefix}ticket:${number}`;
  }
  ticketSequence(localDate: string): string {
    return `${this.prefix}ticket-seq:${localDate}`;
  }
  /** The readiness probe's short-lived write, one per instance. */
  health(instanceId: string): string {
    return `${this.prefix}health:${instanceId}`;
  }
  customerTickets(channelId: string, customerId: string): string {
    return `${this.prefix}tickets-of:${channelId}:${customerId}`;
  }
  numberedChoices(channel: string, customerId: string): string {
    return `${this.prefix}choices:${channel}:${customerId}`;
  }
  /** The shape (digit counts only, never digits) of the number a customer's last message ended with; `scope` names who reads it. */
  piiNumberTail(scope: string, conversationKey: string): string {
    return `${this.prefix}pii:tail:${scope}:${conversationKey}`;
  }
  /** Notices waiting for delivery: a sorted set of ids by due time, each notice a string key. */
  outboxSchedule(): string {
    return `${this.prefix}outbox:due`;
  }
  outboxItem(id: string): string {
    return `${this.prefix}outbox:item:${id}`;
  }
  outboxDead(): string {
    return `${this.prefix}outbox:dead`;
  }
  outboxTickLock(): string {
    return `${this.prefix}lock:outbox-tick`;
  }
  /** The outbox's queue counter (the order of notices queued in the same millisecond). */
  outboxSeq(): string {
    return `${this.prefix}outbox:seq`;
  }
  /** A notice given once only (the status schedule's idempotency key → the notice's id). */
  outboxOnce(key: string): string {
    return `${this.prefix}outbox:once:${key}`;
  }
  /** Notices a channel could not take, given when the customer next writes (a list, oldest first). */
  heldNotices(channelId: string, customerId: string): string {
    return `${this.prefix}outbox:held:${channelId}:${customerId}`;
  }
  /** The status schedule: `number|kind` members by due time (bot/notify/schedule.ts). */
  scheduleDue(): string {
    return `${this.prefix}schedule:due`;
  }
  /** One instance's hold on a due schedule item while it runs. */
  scheduleLease(member: string): string {
    return `${this.prefix}schedule:lease:${member}`;
  }
  /** A schedule item that ran for this due time: it is not planned again. */
  scheduleDone(member: string, dueMs: number): string {
    return `${this.prefix}schedule:done:${member}:${dueMs}`;
  }
  /** The complaint whose satisfaction survey waits for this customer's answer. */
  surveyPending(channelId: string, customerId: string): string {
    return `${this.prefix}survey:pending:${channelId}:${customerId}`;
  }
  /** Survey figures of a month (YYYY-MM): `responses` and `satisfied` counters. */
  surveyCount(month: string, what: 'responses' | 'satisfied'): string {
    return `${this.prefix}survey:${month}:${what}`;
  }
  /** Reminders and escalations for staff (a list, newest last). */
  staffAlerts(): string {
    return `${this.prefix}staff:alerts`;
  }
  /** One live-handoff chat (document), by conversation key (channel:conversation). */
  handoffChat(conversationKey: string): string {
    return `${this.prefix}handoff:chat:{${conversationKey}}`;
  }
  /** What was said in a conversation (customer, bot, staff), masked, for the desk. */
  handoffTranscript(conversationKey: string): string {
    return `${this.prefix}handoff:transcript:{${conversationKey}}`;
  }
  /** Waiting chats, scored by priority then the time they asked. */
  handoffQueue(): string {
    return `${this.prefix}handoff:queue`;
  }
  /** Chats with a person, scored by when they were claimed (for the desk's list). */
  handoffActive(): string {
    return `${this.prefix}handoff:active`;
  }
  /** Staff on the desk now, scored by minus the time their presence expires. */
  handoffPresence(): string {
    return `${this.prefix}handoff:presence`;
  }
  /** A conversation's triage state: score with decay, misunderstandings in a row. */
  triageState(conversationKey: string): string {
    return `${this.prefix}triage:{${conversationKey}}`;
  }
  /** Pub/sub channel of handoff events, for every instance's desk connections. */
  handoffEvents(): string {
    return `${this.prefix}handoff:events`;
  }
  rateWindow(bucket: string, window: number): string {
    return `${this.prefix}rate:${bucket}:${window}`;
  }
  /** A desk staff member (JSON: name, role, teams, scrypt hash), by login name. */
  deskUser(username: string): string {
    return `${this.prefix}desk:user:${username}`;
  }
  /** Every desk login name, scored by when it was added (the colleague list, the CLI's list). */
  deskUsers(): string {
    return `${this.prefix}desk:users`;
  }
  /** A desk session, by the SHA-256 of its cookie token (a copy of Redis holds no usable cookie). */
  deskSession(tokenHash: string): string {
    return `${this.prefix}desk:session:${tokenHash}`;
  }
  /** When a desk session was last used by its staff member (idle expiry). */
  deskSessionSeen(tokenHash: string): string {
    return `${this.prefix}desk:session-seen:${tokenHash}`;
  }
  /** The desk's audit log of one day (YYYY-MM-DD in the bank's time zone), oldest first. */
  deskAudit(day: string): string {
    return `${this.prefix}desk:audit:${day}`;
  }
  /** FAQ "did this help?" answers of an entry: a counter per verdict (helped / notHelped). */
  faqFeedback(entryId: string, verdict: 'helped' | 'notHelped'): string {
    return `${this.prefix}faq:feedback:${entryId}:${verdict}`;
  }
  /** Questions the knowledge base had no answer for, scored by when each was last asked. */
  faqMisses(): string {
    return `${this.prefix}faq:misses`;
  }
  /** One unanswered question (by the hash of its normalised text): its count. */
  faqMissCount(hash: string): string {
    return `${this.prefix}faq:miss:${hash}:count`;
  }
  /** One unanswered question: a masked sample of how it was phrased. */
  faqMissSample(hash: string): string {
    return `${this.prefix}faq:miss:${hash}:sample`;
  }
  /** Open complaints of a department, scored by the date promised to the customer (ms): the desk's list, soonest first. */
  openComplaints(department: string): string {
    return `${this.prefix}tickets:open:${department}`;
  }
  /** Call-backs waiting for staff, scored by when each is due (ms); members are call-back ids. */
  callbacksDue(): string {
    return `${this.prefix}callbacks:due`;
  }
  /** One call-back request (JSON): who, which number, by when, claimed by whom, outcome. */
  callback(id: string): string {
    return `${this.prefix}callbacks:item:${id}`;
  }
  /** A dead notice dealt with by staff (retried or marked handled): who, when, how. Set once (NX): one decision per notice. */
  outboxDeadHandled(id: string): string {
    return `${this.prefix}outbox:dead-handled:${id}`;
  }
  /** WeCom customer service: where pulling a kf account's messages goes on from (kf/sync_msg's next_cursor). */
  wecomCursor(openKfId: string): string {
    return `${this.prefix}wecom:cursor:${openKfId}`;
  }
  /** Held by the one instance pulling a kf account's messages. */
  wecomPullLock(openKfId: string): string {
    return `${this.prefix}lock:wecom-pull:${openKfId}`;
  }
  /** A callback came while another instance was pulling: the holder pulls once more (holds the callback's token). */
  wecomPullAgain(openKfId: string): string {
    return `${this.prefix}wecom:pull-again:${openKfId}`;
  }
  /** A kf customer's session on our side (JSON): which session it is and whether WeCom's people hold it. */
  wecomSession(customerId: string): string {
    return `${this.prefix}wecom:session:${customerId}`;
  }
  /** The published content version in use (its number); absent while the files of content/ are live. */
  contentLive(): string {
    return `${this.prefix}content:live`;
  }
  /** Numbers for published content versions. */
  contentSequence(): string {
    return `${this.prefix}content:seq`;
  }
  /** One published content version: its files (gzip) and who published it, when and why. Kept for ever. */
  contentVersion(n: number): string {
    return `${this.prefix}content:version:${n}`;
  }
  /** The history of published versions, oldest first (what each changed, without the files). */
  contentHistory(): string {
    return `${this.prefix}content:history`;
  }
  /** A supervisor's unpublished draft (the files they changed). */
  contentDraft(username: string): string {
    return `${this.prefix}content:draft:${username}`;
  }
  /** A report figure of one day (bot/reports/day-counters.ts). */
  reportCount(day: string, figure: string): string {
    return `${this.prefix}report:${day}:${figure}`;
  }
  /** Claimed by the first message of a conversation on a day, so the conversation counts once. */
  reportConversationSeen(day: string, conversationKey: string): string {
    return `${this.prefix}report-seen:${day}:${conversationKey}`;
  }
  /** Set once a category's surge has been told to supervisors on a day. */
  reportSurgeTold(day: string, category: string): string {
    return `${this.prefix}report-surge:${day}:${category}`;
  }
  /** Pub/sub: "version N is live" to every instance. */
  contentEvents(): string {
    return `${this.prefix}content:events`;
  }
}
