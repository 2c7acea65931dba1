// The complaint page's dialogs: the answer (the six elements DOMAIN.md requires, the appeal route when the
// customer is not satisfied), the colleague to assign, and the reason for a longer or paused time limit.
import { categoryName, dayTimeOf, h, initial, modal, page, statusName, t, teamName } from './util.js';

/** A labelled field; `required` fields are checked before the dialog closes. */
function field(name, label, { multiline = true, value = '', hint = '', required = true } = {}) {
  const input = multiline
    ? h('textarea', { name, rows: 3, maxlength: 2000, required })
    : h('input', { name, type: 'text', maxlength: 200, required });
  input.value = value;
  return { input, el: h('label', { class: 'field' }, h('span', {}, label), input, hint ? h('small', {}, hint) : null) };
}

/** A dialog's form: title, lead, the body, Cancel and the submit button; Enter submits through `submit`. */
function formShell({ wide = false, title, lead, body, submitLabel, close, submit }) {
  return h('form', { class: `dialog${wide ? ' wide' : ''}`, novalidate: true, onsubmit: (e) => { e.preventDefault(); submit(); } },
    h('h3', {}, title),
    lead ? h('p', {}, lead) : null,
    body,
    h('div', { class: 'buttons' },
      h('button', { class: 'btn', type: 'button', onclick: () => close(undefined) }, t('end.cancel')),
      h('button', { class: 'btn primary', type: 'submit' }, submitLabel)));
}

/** The six elements of an answer (`draft`: what was typed before, when coming back from the preview); resolves with the resolution, or undefined when cancelled. */
export function answerForm(me, record, draft) {
  return modal((close) => {
    const findings = field('findings', t('answer.findings'), { hint: t('answer.findingsHint'), value: draft?.findings });
    const accountability = field('accountability', t('answer.accountability'), { hint: t('answer.accountabilityHint'), value: draft?.accountability });
    const corrective = field('correctiveAction', t('answer.correctiveAction'), { hint: t('answer.correctiveHint'), value: draft?.correctiveAction });
    const name = field('handlerName', t('answer.handlerName'), { multiline: false, value: draft?.handler.name ?? me.name });
    const contact = field('handlerContact', t('answer.handlerContact'), { multiline: false, hint: t('answer.contactHint'), value: draft?.handler.contact });
    const appeal = field('appealInfo', t('answer.appealInfo'), { value: draft ? (draft.appealInfo ?? '') : t('answer.appealDefault', { days: page.appealWindowDays }), required: false });
    const satisfied = h('select', { name: 'customerSatisfied', 'aria-label': t('answer.satisfied') },
      ['unknown', 'yes', 'no'].map((v) => h('option', { value: v, selected: draft?.customerSatisfied === v }, t(`answer.satisfiedValue.${v}`))));
    const problem = h('p', { class: 'form-error', hidden: true });
    const submit = () => {
      const missing = [findings, accountability, corrective, name, contact].filter((f) => !f.input.value.trim());
      if (satisfied.value === 'no' && !appeal.input.value.trim()) missing.push(appeal);
      if (missing.length > 0) {
        problem.hidden = false;
        problem.textContent = t('answer.missing');
        return missing[0].input.focus();
      }
      close({
        findings: findings.input.value.trim(),
        accountability: accountability.input.value.trim(),
        correctiveAction: corrective.input.value.trim(),
        customerSatisfied: satisfied.value,
        handler: { name: name.input.value.trim(), contact: contact.input.value.trim() },
        ...(appeal.input.value.trim() ? { appealInfo: appeal.input.value.trim() } : {}),
      });
    };
    return formShell({
      wide: true, title: t('answer.title', { number: record.number }), lead: t('answer.lead'), submitLabel: t('answer.next'), close, submit,
      body: [problem, findings.el, accountability.el, corrective.el,
        h('label', { class: 'field' }, h('span', {}, t('answer.satisfied')), satisfied),
        appeal.el,
        h('div', { class: 'two' }, name.el, contact.el)],
    });
  });
}

/** The answer as the customer will read it: send it (true), or go back and change it (false). */
export function answerPreview(preview) {
  return modal((close) => h('div', { class: 'dialog wide' },
    h('h3', {}, t('answer.previewTitle')),
    h('p', {}, t('answer.previewLead', { language: t(`language.${String(preview.locale).replace('-', '')}`) })),
    h('blockquote', { class: 'preview' }, preview.text),
    h('div', { class: 'buttons' },
      h('button', { class: 'btn', type: 'button', 'data-action': 'edit', onclick: () => close(false) }, t('answer.edit')),
      h('button', { class: 'btn primary', type: 'button', 'data-action': 'send', onclick: () => close(true) }, t('answer.send')))));
}

/** A colleague of the complaint's team who may take it (the server's list: not named in it, not barred). */
export function assignForm(assignees, me) {
  return modal((close) => h('div', { class: 'dialog' },
    h('h3', {}, t('assign.title')),
    h('p', {}, assignees.length ? t('assign.lead') : t('assign.none')),
    h('ul', { class: 'people' }, assignees.map((a) => h('li', {},
      h('button', { type: 'button', 'data-assignee': a.username, onclick: () => close(a) },
        h('span', { class: 'avatar' }, initial(a.name)),
        h('span', { class: 'grow' }, a.username === me.username ? `${a.name}（${t('chat.you')}）` : a.name, h('small', {}, a.username)))))),
    h('div', { class: 'buttons' }, h('button', { class: 'btn', type: 'button', onclick: () => close(undefined) }, t('end.cancel')))));
}

/** The reason for extending or pausing the time limit (extend: the customer is told it). */
export function reasonForm(action) {
  return modal((close) => {
    const reason = field('reason', t(`complaint.clock.${action}Reason`), { hint: t(`complaint.clock.${action}Hint`) });
    const problem = h('p', { class: 'form-error', hidden: true });
    const submit = () => {
      if (reason.input.value.trim().length < 2) {
        problem.hidden = false;
        problem.textContent = t('answer.missing');
        return reason.input.focus();
      }
      close(reason.input.value.trim());
    };
    return formShell({ title: t(`complaint.clock.${action}`), body: [problem, reason.el], submitLabel: t('end.confirm'), close, submit });
  });
}

/** Another team for the complaint, and why (the trail keeps it); resolves with {team, reason} or undefined. */
export function teamForm(teams) {
  return modal((close) => {
    const team = h('select', { name: 'team', 'aria-label': t('teamMove.team') },
      h('option', { value: '' }, t('teamMove.choose')), teams.map((id) => h('option', { value: id }, teamName(id))));
    const reason = field('reason', t('teamMove.reason'), { hint: t('teamMove.reasonHint') });
    const problem = h('p', { class: 'form-error', hidden: true });
    const submit = () => {
      if (!team.value || reason.input.value.trim().length < 2) {
        problem.hidden = false;
        problem.textContent = t('answer.missing');
        return (team.value ? reason.input : team).focus();
      }
      close({ team: team.value, reason: reason.input.value.trim() });
    };
    return formShell({
      title: t('teamMove.title'), lead: t('teamMove.lead'), submitLabel: t('end.confirm'), close, submit,
      body: [problem, h('label', { class: 'field' }, h('span', {}, t('teamMove.team')), team), reason.el],
    });
  });
}

/** The earlier complaint to merge into: one of the customer's listed by the server, or a number typed; resolves with the number. */
export function mergeForm(candidates) {
  return modal((close) => {
    const typed = h('input', { type: 'text', name: 'into', maxlength: 32, placeholder: 'TS-', 'aria-label': t('mergeForm.number') });
    const submit = () => (typed.value.trim() ? close(typed.value.trim().toUpperCase()) : typed.focus());
    return formShell({
      title: t('mergeForm.title'), lead: t('mergeForm.lead'), submitLabel: t('mergeForm.submit'), close, submit,
      body: [
        candidates.length ? h('ul', { class: 'people' }, candidates.map((c) => h('li', {},
          h('button', { type: 'button', 'data-merge': c.number, onclick: () => close(c.number) },
            h('span', { class: 'grow' }, h('b', { class: 'mono' }, c.number), h('small', {}, `${categoryName(c.category)} · ${statusName(c.status)} · ${dayTimeOf(c.createdAt)}`)))))) : h('p', {}, t('mergeForm.none')),
        h('label', { class: 'field' }, h('span', {}, t('mergeForm.number')), typed)],
    });
  });
}
