// One complaint: what the customer said and wants, the steps open to this staff member, the answer, the trail,
// an internal note; beside it the two clocks and the customer (masked; the owner or a supervisor may reveal the
// number, which the server writes to the audit log first). Every change carries the version seen: a complaint a
// colleague changed meanwhile is re-read, never overwritten.
import { api, errorText } from './api.js';
import { answerForm, answerPreview, assignForm, mergeForm, reasonForm, teamForm } from './complaint-forms.js';
import { answerSection, conversationSection, trailSection } from './complaint-sections.js';
import { branchName, categoryName, channelName, confirmDialog, dateOf, dayTimeOf, h, languageName, levelName, statusName, t, teamName, toast } from './util.js';

const OPEN = ['received', 'accepted', 'assigned', 'in_progress', 'reopened'];
const path = (number, action) => `/desk/api/complaints/${encodeURIComponent(number)}${action ? `/${action}` : ''}`;

export class ComplaintDetail {
  constructor({ me, onBack, onChanged }) {
    this.me = me;
    this.onBack = onBack;
    this.onChanged = onChanged;
    this.number = null;
    this.record = null;
    this.main = h('div', { class: 'complaint-body' });
    this.side = h('aside', { class: 'complaint-side', 'aria-label': t('complaint.facts') });
    this.el = h('section', { class: 'pane complaint-detail' }, this.main, this.side);
    this.close();
  }

  close() {
    this.number = null;
    this.record = null;
    this.main.replaceChildren(h('div', { class: 'placeholder' }, h('b', {}, t('complaint.none')), t('complaint.noneHint')));
    this.side.replaceChildren();
    this.side.hidden = true;
  }

  async open(number) {
    this.number = number;
    this.revealed = null;
    await this.reload();
  }

  async reload() {
    const number = this.number;
    if (!number) return;
    try {
      const record = await api('GET', path(number));
      if (number === this.number) this.render(record);
    } catch (e) {
      toast(errorText(e), 'error');
      if (e.code === 'COMPLAINT_NOT_FOUND') this.onBack();
    }
  }

  nameOf(by) {
    if (!by) return '';
    if (!by.startsWith('staff:')) return t(`complaint.by.${by}`);
    const username = by.slice(6);
    return username === this.me.username ? t('chat.you') : (this.record?.names?.[username] ?? username);
  }

  render(record) {
    this.record = record;
    const { ticket } = record;
    const d = ticket.details;
    const fact = (label, value) => (value ? [h('dt', {}, label), h('dd', {}, value)] : []);
    this.main.replaceChildren(
      h('header', { class: 'complaint-head' },
        h('div', { class: 'title' },
          h('button', { class: 'btn ghost small back', type: 'button', onclick: () => this.onBack() }, `‹ ${t('chat.back')}`),
          h('h2', { class: 'mono' }, record.number),
          h('span', { class: `level ${record.level}` }, levelName(record.level)),
          h('span', { class: `badge status-${record.status}` }, statusName(record.status))),
        h('div', { class: 'sub' }, `${categoryName(d.category)} · ${teamName(record.department)} · ${t('complaint.createdAt', { at: dayTimeOf(ticket.createdAt) })}`),
        h('div', { class: 'actions' }, this.actions(record)),
        record.teamConflict ? h('p', { class: 'banner' }, t('complaint.conflictBanner')) : null,
        ticket.mergedInto ? h('p', { class: 'banner info' }, t('complaint.mergedInto', { into: ticket.mergedInto }), ' ',
          h('button', { class: 'link mono', type: 'button', onclick: () => this.open(ticket.mergedInto) }, ticket.mergedInto)) : null),
      h('section', { class: 'card' },
        h('h3', {}, t('complaint.story')),
        h('p', { class: 'story' }, d.description),
        h('p', { class: 'wish' }, h('b', {}, t('complaint.wish')), d.wish)),
      h('section', { class: 'card' },
        h('h3', {}, t('complaint.elements')),
        h('dl', { class: 'facts' },
          fact(t('complaint.category'), categoryName(d.category)),
          fact(t('complaint.occurred'), d.occurredText ?? (d.occurredAt ? dayTimeOf(d.occurredAt) : d.occurredOn)),
          fact(t('complaint.amount'), d.amount ? `${d.amount.value.toLocaleString()} ${d.amount.currency}` : ''),
          fact(t('complaint.product'), d.product),
          fact(t('complaint.branch'), d.branch ? branchName(d.branch) : ''),
          fact(t('complaint.channelUsed'), d.channel),
          fact(t('complaint.staffNamed'), d.staff),
          fact(t('complaint.thirdParty'), d.thirdParty),
          fact(t('complaint.cardTail'), d.cardTail ? t('complaints.phoneTail', { tail: d.cardTail }) : ''),
          fact(t('complaint.evidence'), ticket.evidence.length ? ticket.evidence.map((e) => e.name ?? e.kind).join('、') : ''))),
      ...(ticket.resolution ? [answerSection(ticket.resolution)] : []),
      ...(record.conversation?.length ? [conversationSection(record.conversation, (id) => this.nameOf(id))] : []),
      trailSection(ticket.audit, (id) => this.nameOf(id)),
      this.noteBox());
    this.renderSide(record);
  }

  actions(record) {
    const button = (label, onclick, kind = '') => h('button', { class: `btn ${kind}`.trim(), type: 'button', onclick }, label);
    const moves = record.moves ?? [];
    const buttons = [];
    const supervisor = this.me.role === 'supervisor';
    if (moves.includes('accepted')) buttons.push(button(t('complaint.move.accept'), () => this.move('accepted'), 'primary'));
    const mine = record.owner === `staff:${this.me.username}`;
    if (moves.includes('assigned')) {
      if (!mine) buttons.push(button(t('complaint.move.take'), () => this.move('assigned', { assignee: this.me.username }), moves.includes('accepted') || moves.includes('in_progress') ? '' : 'primary'));
      if (supervisor) buttons.push(button(t('complaint.move.assign'), () => this.assign()));
    }
    if (moves.includes('in_progress')) buttons.push(button(t('complaint.move.start'), () => this.move('in_progress'), 'primary'));
    if (moves.includes('resolved')) buttons.push(button(t('complaint.move.answer'), () => this.answerIt(), 'primary'));
    if (moves.includes('closed')) buttons.push(button(t('complaint.move.close'), () => this.confirmMove('closed')));
    if (moves.includes('reopened')) buttons.push(button(t('complaint.move.reopen'), () => this.confirmMove('reopened')));
    if (OPEN.includes(record.status)) {
      const clocks = record.ticket.clocks;
      if (record.teams?.length) buttons.push(button(t('complaint.moveTeam'), () => this.moveTeam(), record.teamConflict ? 'primary' : ''));
      buttons.push(button(t('complaint.merge'), () => this.merge()));
      if (supervisor) buttons.push(button(t('complaint.clock.extend'), () => this.clock('extend')));
      buttons.push(clocks.pausedSince
        ? button(t('complaint.clock.resume'), () => this.send('resume', {}))
        : button(t('complaint.clock.pause'), () => this.clock('pause')));
    }
    return buttons;
  }

  noteBox() {
    const text = h('textarea', { name: 'note', rows: 2, maxlength: 2000, placeholder: t('complaint.notePlaceholder'), 'aria-label': t('complaint.note') });
    const add = h('button', { class: 'btn', type: 'button', onclick: async () => {
      if (!text.value.trim()) return text.focus();
      if (await this.send('note', { text: text.value.trim() })) text.value = '';
    } }, t('complaint.addNote'));
    return h('section', { class: 'card note-box' }, text, h('div', { class: 'bar' }, h('small', {}, t('complaint.noteHint')), add));
  }

  renderSide(record) {
    const { ticket } = record;
    const c = ticket.clocks;
    const row = (label, value, cls) => [h('dt', {}, label), h('dd', cls ? { class: cls } : {}, value || '—')];
    const phone = this.revealed?.phone ?? ticket.customer.phone;
    const promisedBy = (due) => (due === record.promised ? h('span', { class: 'chip ticket' }, t('complaint.promisedBy')) : null);
    const reveal = record.canReveal && !this.revealed && ticket.customer.phone
      ? h('button', { class: 'btn ghost small', type: 'button', 'data-action': 'reveal', onclick: () => this.reveal() }, t('complaint.reveal'))
      : null;
    this.side.hidden = false;
    this.side.replaceChildren(
      h('h3', {}, t('complaint.clocks')),
      h('dl', {},
        row(t('complaint.promised'), `${dateOf(record.promised)}${record.overdue ? ` · ${t('complaint.overdue')}` : ''}`, record.overdue ? 'overdue' : record.dueToday ? 'today' : ''),
        // The promised date is the earlier clock: say which one it is.
        row(t('complaint.internalDue'), [`${dateOf(c.internalDue)}（${t('complaint.workingDays', { n: c.internalWorkingDays })}）`, promisedBy(c.internalDue)]),
        row(t('complaint.regulatoryDue'), [`${dateOf(c.regulatoryDue)}（${t('complaint.calendarDays', { n: c.regulatoryLimitDays })}）`, promisedBy(c.regulatoryDue)]),
        c.pausedSince ? row(t('complaint.paused'), t('complaint.pausedSince', { at: dayTimeOf(c.pausedSince) }), 'today') : [],
        c.pausedDays ? row(t('complaint.pausedDays'), t('complaint.calendarDays', { n: c.pausedDays })) : [],
        c.extensions.map((x) => row(t('complaint.extended'), `${t('complaint.calendarDays', { n: x.totalDays })} · ${x.reason}`))),
      h('h3', {}, t('complaint.customer')),
      h('dl', {},
        row(t('chat.channel'), channelName(ticket.customer.channelId)),
        row(t('chat.language'), languageName(ticket.customer.locale)),
        ticket.customer.anonymous ? row(t('complaint.anonymous'), t('complaint.yes')) : [],
        row(t('complaint.name'), this.revealed?.name ?? (ticket.customer.name ? t('complaint.hidden') : '')),
        row(t('complaint.phone'), h('span', { class: 'phone' }, phone ?? '—', reveal))),
      h('h3', {}, t('complaint.people')),
      h('dl', {},
        row(t('complaint.owner'), record.owner ? this.nameOf(record.owner) : t('complaints.unowned')),
        row(t('complaint.handlers'), ticket.handlers.map((x) => this.nameOf(x)).join('、')),
        ticket.barredHandlers.length ? row(t('complaint.barred'), ticket.barredHandlers.map((x) => this.nameOf(x)).join('、')) : []));
  }

  async reveal() {
    try {
      this.revealed = await api('POST', path(this.number, 'reveal'), {});
      this.renderSide(this.record);
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  /** A change on the version seen; a stale page is re-read and says so. True when it went through. */
  async send(action, body) {
    try {
      const record = await api('POST', path(this.number, action), { ...body, version: this.record.version });
      this.render(record);
      toast(t('complaint.saved'));
      this.onChanged();
      return true;
    } catch (e) {
      const reason = e.code === 'MOVE_REFUSED' || e.code === 'BAD_REQUEST' ? `${errorText(e)} ${e.detail.message ?? ''}` : errorText(e);
      toast(reason.trim(), 'error');
      if (e.code === 'STALE_VERSION') void this.reload();
      return false;
    }
  }

  move(to, extra = {}) {
    return this.send('move', { to, ...extra });
  }

  async confirmMove(to) {
    if (await confirmDialog(t(`complaint.confirm.${to}.title`), t(`complaint.confirm.${to}.body`), t('end.confirm'))) await this.move(to);
  }

  /** Into the customer's earlier complaint on the same matter; the page then shows that one. */
  async merge() {
    const into = await mergeForm(this.record.mergeInto ?? []);
    if (!into) return;
    try {
      const earlier = await api('POST', path(this.number, 'merge'), { into, version: this.record.version });
      toast(t('mergeForm.done', { into: earlier.number }));
      this.number = earlier.number;
      this.render(earlier);
      this.onChanged();
    } catch (e) {
      toast(`${errorText(e)} ${e.code === 'MOVE_REFUSED' ? (e.detail.message ?? '') : ''}`.trim(), 'error');
      if (e.code === 'STALE_VERSION') void this.reload();
    }
  }

  async moveTeam() {
    const choice = await teamForm(this.record.teams);
    if (!choice) return;
    try {
      const answer = await api('POST', path(this.number, 'team'), { ...choice, version: this.record.version });
      toast(t('complaint.movedTo', { team: teamName(choice.team) }));
      this.onChanged();
      // Now another team's: this staff member may no longer see it.
      if (answer.moved) this.onBack();
      else this.render(answer);
    } catch (e) {
      toast(errorText(e), 'error');
      if (e.code === 'STALE_VERSION') void this.reload();
    }
  }

  async assign() {
    const person = await assignForm(this.record.assignees ?? [], this.me);
    if (person) await this.move('assigned', { assignee: person.username });
  }

  async clock(action) {
    const reason = await reasonForm(action);
    if (reason) await this.send(action, { reason });
  }

  /** The form, then the answer as the customer will read it; back to the form (as typed) until it is sent or dropped. */
  async answerIt() {
    let draft;
    for (;;) {
      draft = await answerForm(this.me, this.record, draft);
      if (!draft) return;
      let preview;
      try {
        preview = await api('POST', path(this.number, 'answer-preview'), { resolution: draft });
      } catch (e) {
        toast(`${errorText(e)} ${e.detail.message ?? ''}`.trim(), 'error');
        continue;
      }
      if (await answerPreview(preview)) return void (await this.move('resolved', { resolution: draft }));
    }
  }
}
