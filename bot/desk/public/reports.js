// Reports (supervisors): the headline figures, today's surges, and one card per table with its chart (Chart.js,
// served by the bot) and a CSV export. The tables come from the same rows the CSV has, so what is seen is what is
// exported.
import { api, errorText } from './api.js';
import { categoryName, channelName, h, levelName, page, t, toast } from './util.js';

const PALETTE = ['#1c64f2', '#0e9f6e', '#ff8a4c', '#9061f9', '#e74694', '#16bdca', '#c27803', '#6b7280', '#f05252'];
const pct = (share) => (share === null || share === undefined ? '—' : `${Math.round(share * 1000) / 10}%`);

let chartLoading;
/** Chart.js is a classic script (its UMD build): loaded once, when the reports are first opened. */
function loadChart() {
  chartLoading ??= new Promise((resolve, reject) => {
    const s = h('script', { src: `/desk/assets/chart.umd.min.js?v=${encodeURIComponent(page.assetVersion)}` });
    s.addEventListener('load', () => resolve(window.Chart));
    s.addEventListener('error', () => reject(new Error('chart library')));
    document.head.append(s);
  });
  return chartLoading;
}

export class ReportsView {
  constructor() {
    this.charts = [];
    this.from = h('input', { type: 'date', 'aria-label': t('report.from') });
    this.to = h('input', { type: 'date', 'aria-label': t('report.to') });
    this.body = h('div', { class: 'rp-body' });
    const form = h('form', { class: 'rp-range', onsubmit: (e) => { e.preventDefault(); void this.load(); } },
      h('label', {}, t('report.from'), this.from), h('label', {}, t('report.to'), this.to),
      h('button', { class: 'btn primary small', type: 'submit' }, t('report.apply')));
    this.el = h('section', { class: 'sheet reports' },
      h('div', { class: 'rp-head' }, h('div', {}, h('h2', {}, t('report.title')), h('p', {}, t('report.lead'))), form),
      this.body);
  }

  async shown() {
    await this.load();
  }

  async load() {
    const query = new URLSearchParams();
    if (this.from.value) query.set('from', this.from.value);
    if (this.to.value) query.set('to', this.to.value);
    try {
      const [report, Chart] = await Promise.all([api('GET', `/desk/api/reports?${query}`), loadChart()]);
      this.from.value = report.from;
      this.to.value = report.to;
      this.render(report, Chart);
    } catch (e) {
      toast(e.detail?.reason === 'RANGE_TOO_LONG' ? t('report.rangeTooLong', { days: e.detail.days }) : errorText(e), 'error');
    }
  }

  render(r, Chart) {
    for (const c of this.charts) c.destroy();
    this.charts = [];
    const c = r.complaints;
    const satisfactionLow = c.satisfaction.rate !== null && c.satisfaction.rate < c.satisfaction.target;
    const figure = (label, value, note, warn = false) => h('div', { class: `rp-figure${warn ? ' warn' : ''}` }, h('small', {}, label), h('b', {}, value), note ? h('span', {}, note) : '');
    const figures = h('div', { class: 'rp-figures' },
      figure(t('report.complaints'), String(c.total)),
      figure(`${t('report.clock.internal')} · ${t('report.share')}`, pct(c.clocks.internal.share), `${c.clocks.internal.onTime} / ${c.clocks.internal.onTime + c.clocks.internal.late}`),
      figure(`${t('report.clock.regulatory')} · ${t('report.share')}`, pct(c.clocks.regulatory.share), `${c.clocks.regulatory.onTime} / ${c.clocks.regulatory.onTime + c.clocks.regulatory.late}`, c.clocks.regulatory.late > 0),
      figure(t('report.satisfaction'), pct(c.satisfaction.rate), t('report.target', { target: pct(c.satisfaction.target) }), satisfactionLow),
      figure(t('report.handoffRate'), pct(r.handoff.rate), `${r.handoff.count} / ${r.conversations.total}`),
      figure(t('report.withinFive'), pct(r.handoff.withinFiveMinutes)),
      figure(t('report.answeredShare'), pct(r.faq.answeredShare)),
      figure(t('report.callbacksOnTime'), pct(r.callbacks.share), r.callbacks.overdueOpen ? `${t('report.overdueOpen')} ${r.callbacks.overdueOpen}` : '', r.callbacks.overdueOpen > 0));
    const surges = h('div', { class: r.surges.length ? 'rp-surges warn' : 'rp-surges' },
      h('b', {}, t('report.surges')),
      r.surges.length ? r.surges.map((s) => h('span', { class: 'chip warn' }, `${categoryName(s.category)}：${t('report.surge', { today: s.today, baseline: s.baseline })}`)) : h('span', {}, t('report.surgeNone')));

    const range = { from: r.from, to: r.to };
    const cards = [
      this.card('daily', t('report.byDay'), range, 'bar', {
        labels: r.days.map((d) => d.slice(5)),
        datasets: [
          { label: t('report.complaints'), data: r.days.map((d) => c.byDay[d] ?? 0), backgroundColor: PALETTE[0] },
          { label: t('report.handoffs'), data: r.days.map((d) => r.handoff.byDay[d] ?? 0), backgroundColor: PALETTE[2] },
        ],
      }, 'wide'),
      this.card('categories', t('report.byCategory'), range, 'bar', pairs(c.byCategory, categoryName), 'wide', { indexAxis: 'y' }),
      this.card('levels', t('report.byLevel'), range, 'doughnut', pairs(c.byLevel, levelName)),
      this.card('channels', t('report.byChannel'), range, 'bar', pairs(c.byChannel, channelName)),
      this.card('waits', t('report.waits'), range, 'bar', {
        labels: Object.keys(r.handoff.waits).map((b) => t(`report.wait.${b === 'longer' ? b : `m${b}`}`)),
        datasets: [{ label: t('report.count'), data: Object.values(r.handoff.waits), backgroundColor: PALETTE[3] }],
      }),
      this.card('faq', t('report.faq'), range, 'doughnut', {
        labels: [t('report.faqAnswer'), t('report.faqChoices'), t('report.faqNone')],
        datasets: [{ data: [r.faq.answer, r.faq.choices, r.faq.none], backgroundColor: [PALETTE[1], PALETTE[6], PALETTE[8]] }],
      }),
      this.table('clocks', t('report.onTime'), range, [t('report.figure'), t('report.onTimeCount'), t('report.late'), t('report.openLate'), t('report.share')],
        ['internal', 'regulatory'].map((k) => { const f = c.clocks[k]; return [t(`report.clock.${k}`), f.onTime, f.late, f.openLate, pct(f.share)]; })),
      this.table('unanswered', t('report.unanswered'), range, [t('report.question'), t('report.count')], r.faq.topUnanswered.map((q) => [q.sample, q.count]), 'wide'),
    ];
    this.body.replaceChildren(figures, surges, h('div', { class: 'rp-grid' }, cards.map((card) => card.el)));
    for (const card of cards) if (card.draw) this.charts.push(card.draw(Chart));
  }

  card(table, title, range, type, data, size = '', options = {}) {
    const canvas = h('canvas', { role: 'img', 'aria-label': title });
    const empty = data.datasets.every((d) => d.data.every((v) => !v));
    const el = h('article', { class: `rp-card ${size}` }, this.header(table, title, range),
      empty ? h('p', { class: 'empty' }, t('report.none')) : h('div', { class: `rp-chart ${type}` }, canvas));
    const draw = empty ? null : (Chart) => new Chart(canvas, {
      type, data,
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: type === 'doughnut' || data.datasets.length > 1, position: 'bottom' } }, ...options },
    });
    return { el, draw };
  }

  table(table, title, range, head, rows, size = '') {
    const el = h('article', { class: `rp-card ${size}` }, this.header(table, title, range),
      rows.length ? h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, head.map((x) => h('th', {}, x)))),
        h('tbody', {}, rows.map((row) => h('tr', {}, row.map((cell, i) => h('td', { class: i === 0 ? 'wrap' : 'num' }, String(cell)))))))) : h('p', { class: 'empty' }, t('report.none')));
    return { el, draw: null };
  }

  header(table, title, range) {
    const href = `/desk/api/reports/${table}.csv?${new URLSearchParams({ ...range, lang: page.locale })}`;
    return h('header', {}, h('h3', {}, title), h('a', { class: 'btn small', href, download: `${table}.csv` }, t('report.export')));
  }
}

/** A record of counts as one bar dataset, largest first, with readable labels. */
function pairs(record, name) {
  const entries = Object.entries(record).sort((a, b) => b[1] - a[1]);
  return { labels: entries.map(([id]) => name(id)), datasets: [{ label: t('report.count'), data: entries.map(([, n]) => n), backgroundColor: entries.map((_, i) => PALETTE[i % PALETTE.length]) }] };
}
