// The read-only parts of the complaint page: the answer, the chat it came from, the trail (newest first).
import { dayTimeOf, h, statusName, t, teamName } from './util.js';

/** The answer as recorded: its six elements. */
export function answerSection(r) {
  const row = (label, value) => [h('dt', {}, label), h('dd', {}, value)];
  return h('section', { class: 'card answer' },
    h('h3', {}, t('complaint.answer')),
    h('dl', { class: 'facts wide' },
      row(t('answer.findings'), r.findings),
      row(t('answer.accountability'), r.accountability),
      row(t('answer.correctiveAction'), r.correctiveAction),
      row(t('answer.satisfied'), t(`answer.satisfiedValue.${r.customerSatisfied}`)),
      r.appealInfo ? row(t('answer.appealInfo'), r.appealInfo) : [],
      row(t('answer.handler'), `${r.handler.name} · ${r.handler.contact}`),
      row(t('answer.handledAt'), dayTimeOf(r.handledAt))));
}

/** What was said in the chat the complaint came from (masked as the desk's transcripts are), folded by default. */
export function conversationSection(lines, nameOf) {
  return h('details', { class: 'card conversation' },
    h('summary', {}, h('h3', {}, t('complaint.conversation', { count: lines.length }))),
    h('div', { class: 'transcript' }, lines.map((e) => h('div', { class: `msg ${e.from}` },
      h('span', { class: 'by' }, `${e.from === 'staff' ? nameOf(`staff:${e.staffId}`) : t(`chat.from.${e.from}`)} · ${dayTimeOf(e.at)}`),
      h('div', { class: 'bubble' }, e.text)))));
}

/** Every step on record, newest first, in staff words. */
export function trailSection(audit, nameOf) {
  const what = (e) => {
    if (e.action === 'status') return t('complaint.trail.status', { from: statusName(e.from), to: statusName(e.to) });
    if (e.action === 'merged' && e.changes?.from) return t('complaint.trail.mergedFrom', { from: e.changes.from });
    if (e.action === 'team_changed') return t('complaint.trail.team_changed', { from: teamName(e.changes?.from), to: teamName(e.changes?.to) });
    const key = `complaint.trail.${e.action}`;
    const text = t(key);
    return text === key ? e.action : text;
  };
  const shownNote = (e) => (e.action === 'created' || e.action === 'merged' ? '' : e.note);
  return h('section', { class: 'card' },
    h('h3', {}, t('complaint.trailTitle')),
    h('ol', { class: 'trail' }, [...audit].reverse().map((e) => h('li', {},
      h('span', { class: 'when' }, dayTimeOf(e.at)),
      h('span', { class: 'who' }, nameOf(e.by)),
      h('span', { class: 'what' }, what(e)),
      shownNote(e) ? h('p', { class: 'note' }, shownNote(e)) : null))));
}
