// The left pane: waiting chats (most serious first, then longest waiting, as the server sends them), my chats,
// and — for supervisors — colleagues' chats. Waiting times tick on their own between updates.
import { channelName, duration, h, levelName, reasonText, serverNow, syncClock, t, teamName } from './util.js';

const LONG_WAIT_MS = 5 * 60_000;

export class Queue {
  constructor({ me, onOpen }) {
    this.me = me;
    this.onOpen = onOpen;
    this.tab = 'waiting';
    this.myTeams = false;
    this.data = { waiting: [], mine: [], others: [], names: {} };
    this.openKey = null;
    const tabs = ['waiting', 'mine', ...(me.role === 'supervisor' ? ['others'] : [])];
    this.tabButtons = Object.fromEntries(tabs.map((id) => [id, h('button', { type: 'button', role: 'tab', 'data-tab': id, onclick: () => this.select(id) })]));
    const teamToggle = h('input', { type: 'checkbox', onchange: (e) => { this.myTeams = e.target.checked; this.draw(); } });
    this.filter = h('div', { class: 'filter', hidden: me.teams.length === 0 },
      h('span', {}, me.teams.map(teamName).join('、')),
      h('label', {}, teamToggle, t('queue.myTeams')));
    this.list = h('ul', { class: 'list', role: 'list' });
    this.el = h('section', { class: 'pane queue', 'aria-label': t('nav.chats') },
      h('div', { class: 'tabs', role: 'tablist' }, Object.values(this.tabButtons)), this.filter, this.list);
  }

  select(tab) {
    this.tab = tab;
    this.draw();
  }

  render(data, openKey) {
    this.data = data;
    this.openKey = openKey;
    syncClock(data.now);
    this.draw();
  }

  /** Redraws with the data it has (waiting times move on). */
  tick() {
    this.draw();
  }

  draw() {
    for (const [id, button] of Object.entries(this.tabButtons)) {
      button.setAttribute('aria-selected', String(id === this.tab));
      button.replaceChildren(t(`queue.${id}`), h('span', { class: 'count' }, String(this.data[id]?.length ?? 0)));
    }
    this.filter.hidden = this.tab !== 'waiting' || this.me.teams.length === 0;
    let chats = this.data[this.tab] ?? [];
    if (this.tab === 'waiting' && this.myTeams) chats = chats.filter((c) => !c.team || this.me.teams.includes(c.team));
    if (chats.length === 0) {
      const empty = { waiting: 'queue.emptyWaiting', mine: 'queue.emptyMine', others: 'queue.emptyOthers' }[this.tab];
      return this.list.replaceChildren(h('li', { class: 'empty' }, t(empty)));
    }
    this.list.replaceChildren(...chats.map((c) => h('li', {}, this.item(c))));
  }

  item(chat) {
    const now = serverNow();
    const waited = now - Date.parse(chat.askedAt);
    const when = this.tab === 'waiting'
      ? h('span', { class: `wait${waited > LONG_WAIT_MS ? ' long' : ''}` }, t('queue.waited', { time: duration(waited) }))
      : h('span', { class: 'wait' }, this.tab === 'others'
        ? t('queue.handledBy', { name: this.data.names[chat.claimedBy] ?? chat.claimedBy })
        : t('queue.claimedAgo', { time: duration(now - Date.parse(chat.claimedAt ?? chat.askedAt)) }));
    const last = chat.last ? `${t(`chat.from.${chat.last.from}`)}：${chat.last.text}` : '';
    return h('button', { class: 'item', type: 'button', 'data-key': chat.key, 'aria-current': String(chat.key === this.openKey), onclick: () => this.onOpen(chat.key) },
      h('div', { class: 'row' },
        h('span', { class: `level ${chat.level}` }, levelName(chat.level)),
        h('span', { class: 'name' }, t('chat.customer', { id: chat.customer })),
        h('span', { class: 'meta' }, channelName(chat.channelId)),
        when),
      last ? h('div', { class: 'preview' }, last) : null,
      h('div', { class: 'chips' },
        chat.reasons.map((r) => h('span', { class: 'chip' }, reasonText(r))),
        chat.ticketNumber ? h('span', { class: 'chip ticket' }, chat.ticketNumber) : null,
        chat.team ? h('span', { class: 'chip' }, teamName(chat.team)) : null));
  }
}
