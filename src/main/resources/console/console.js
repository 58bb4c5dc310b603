// The mla-router console: plain JavaScript, no library, nothing loaded from elsewhere. Every value from the router is
// put in the page as text (textContent), never as HTML.
'use strict';

let session = { signInEnabled: false, user: null, csrfToken: null };
// The console's texts in the reader's language (kk, ru or en), from the router's resource bundles.
let text = {};

/** The text of a key, with {0}, {1}... filled in; the key itself when the bundle lacks it. */
function t(key, ...args) {
  let message = Object.prototype.hasOwnProperty.call(text, key) ? text[key] : key;
  args.forEach((arg, i) => { message = message.split('{' + i + '}').join(String(arg)); });
  return message;
}
let timer = null;

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.substring(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, options) {
  const response = await fetch(path, Object.assign({ headers: { Accept: 'application/json' }, credentials: 'same-origin' }, options || {}));
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  return { status: response.status, body };
}

function age(iso) {
  if (!iso) return '–';
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 90) return t('unit.seconds', Math.round(seconds));
  if (seconds < 5400) return t('unit.minutes', Math.round(seconds / 60));
  if (seconds < 172800) return t('unit.hours', Math.round(seconds / 3600));
  return t('unit.days', Math.round(seconds / 86400));
}

function banner(text, bad) {
  const node = document.getElementById('banner');
  node.hidden = !text;
  node.textContent = text || '';
  node.className = bad ? 'bad' : '';
}

function show(...children) {
  const main = document.getElementById('main');
  main.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined));
}

function card(label, value, id) {
  return el('div', { class: 'card' }, el('div', { class: 'label' }, label), el('div', { class: 'value', id }, value));
}

function table(headings, rows, id) {
  return el('div', { class: 'scroll' }, el('table', { id },
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows.length ? rows : [el('tr', {}, el('td', { colspan: headings.length, class: 'muted' }, t('table.none')))])));
}

function sparkline(series) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 300 70');
  svg.setAttribute('preserveAspectRatio', 'none');
  const max = Math.max(1, ...series.map((point) => point[1]));
  const first = series.length ? series[0][0] : 0;
  const span = series.length > 1 ? series[series.length - 1][0] - first : 1;
  const points = series.map((p) => ((p[0] - first) / span * 300).toFixed(1) + ',' + (66 - p[1] / max * 60).toFixed(1)).join(' ');
  const axis = document.createElementNS(ns, 'line');
  Object.entries({ x1: 0, y1: 66, x2: 300, y2: 66, stroke: '#c5cedb' }).forEach(([k, v]) => axis.setAttribute(k, v));
  svg.append(axis);
  if (series.length > 1) {
    const line = document.createElementNS(ns, 'polyline');
    Object.entries({ points, fill: 'none', stroke: '#1f5fbf', 'stroke-width': 2 }).forEach(([k, v]) => line.setAttribute(k, v));
    svg.append(line);
  }
  return svg;
}

// ---- Overview ----

async function overview() {
  const { status, body } = await api('/console/api/overview');
  if (status !== 200) {
    banner(body && body.message ? body.message : t('overview.noAnswer', status), true);
    return;
  }
  const troubles = [];
  if (body.state !== 'RUNNING') troubles.push(t('overview.notRunning', body.state));
  if (body.kafka) troubles.push(body.kafka);
  if (body.problem) troubles.push(body.problem);
  banner(troubles.join(' '), troubles.length > 0);
  const latest = (topic) => (topic.series.length ? topic.series[topic.series.length - 1][1] : 0);
  const routes = body.decisionsByRoute || {};
  show(
    el('h1', {}, t('overview.title')),
    el('div', { class: 'cards' },
      card(t('overview.state'), body.state, 'state'),
      card(t('overview.threads'), body.threads, 'threads'),
      card(t('overview.lag'), body.lag === null ? '–' : body.lag, 'lag'),
      card(t('overview.decided'), body.requestsDecided, 'decisions-total'),
      card(t('overview.applied'), body.reviewsApplied, 'reviews-applied'),
      card(t('overview.pending'), body.reviews.pending === undefined ? '–' : body.reviews.pending, 'pending'),
      card(t('overview.oldest'), age(body.reviews.oldestPendingSince), 'oldest'),
      card(t('overview.overdue'), body.reviews.overdue === undefined ? '–' : body.reviews.overdue, 'overdue')),
    el('h2', {}, t('overview.rates')),
    el('div', { class: 'charts' }, body.topics.map((topic) => el('div', { class: 'card chart', 'data-role': topic.role },
      el('div', { class: 'label' }, el('span', { class: 'rate', 'data-rate': topic.role }, latest(topic).toFixed(1) + '/s'),
        t('topic.' + topic.role), ' ', el('span', { class: 'muted' }, topic.topic)),
      sparkline(topic.series),
      el('div', { class: 'label' }, el('span', { 'data-records': topic.role }, topic.records), ' ', topic.counting ? t('overview.recordsCounting') : t('overview.records'))))),
    el('h2', {}, t('overview.byRoute')),
    table([t('col.route'), t('col.decisions')], Object.entries(routes).map(([route, n]) => el('tr', {}, el('td', {}, words(route)), el('td', { 'data-route': route }, n))), 'by-route'),
    el('h2', {}, t('overview.byCounterpart')),
    table([t('col.counterpart'), words('ACCEPTED'), words('REFUSED'), words('NEEDS_REVIEW')], Object.entries(body.decisionsByCounterpart || {}).map(([cp, byRoute]) =>
      el('tr', {}, el('td', {}, cp), el('td', {}, byRoute.accepted || 0), el('td', {}, byRoute.refused || 0), el('td', {}, byRoute.needs_review || 0))), 'by-counterpart'),
    el('h2', {}, t('coverage.title')),
    el('p', { class: 'muted' }, t('overview.coverageNote'), ' ', el('a', { href: '/coverage' }, t('overview.everyInstrument'))),
    table([t('col.counterpart'), t('col.inForceFor'), t('col.notInForce'), t('col.revision')], (body.coverage || []).map((cp) => {
      const inForce = cp.instruments.filter((i) => i.inForce);
      const kinds = [...new Set(inForce.flatMap((i) => i.covers))];
      return el('tr', { 'data-counterpart': cp.counterpartState },
        el('td', {}, cp.counterpartState, el('span', { class: 'muted' }, ' ' + cp.counterpartName)),
        el('td', { class: 'in-force' }, kinds.length ? kinds.map(words).join(', ') : el('span', { class: 'badge overdue' }, t('coverage.noneInForce'))),
        el('td', { class: 'not-in-force' }, cp.instruments.filter((i) => !i.inForce).map((i) => i.id + ': ' + statusWords(i)).join('; ') || '–'),
        el('td', {}, cp.revision));
    }), 'coverage'));
}

// ---- Statistics ----

const OUTCOMES = ['accepted', 'refused', 'needs_review', 'accepted_after_review', 'refused_after_review'];
const OUTCOME_COLOURS = { accepted: '#2e7d32', refused: '#c62828', needs_review: '#f9a825', accepted_after_review: '#81c784', refused_after_review: '#e57373' };
let statisticsFilter = { counterpart: '', kind: '', month: '' };

function svgNode(tag, attributes, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  Object.entries(attributes).forEach(([k, v]) => node.setAttribute(k, v));
  children.forEach((child) => node.append(child instanceof Node ? child : document.createTextNode(String(child))));
  return node;
}

/** A bar chart of our own (nothing loaded from elsewhere): groups along x, each a stack or a row of bars. */
function barChart(id, groups, keys, colours, stacked, format) {
  const width = 640;
  const height = 220;
  const left = 48;
  const bottom = 28;
  const totals = groups.map((g) => (stacked ? keys.reduce((sum, k) => sum + (g.values[k] || 0), 0) : Math.max(0, ...keys.map((k) => g.values[k] || 0))));
  const max = Math.max(1, ...totals);
  const slot = Math.min(140, (width - left - 10) / Math.max(1, groups.length));
  const svg = svgNode('svg', { id, viewBox: '0 0 ' + width + ' ' + height, class: 'bar-chart', role: 'img' });
  svg.append(svgNode('line', { x1: left, y1: height - bottom, x2: width - 5, y2: height - bottom, stroke: '#9aa5b4' }));
  [0, 0.5, 1].forEach((f) => svg.append(svgNode('text', { x: left - 6, y: height - bottom - f * (height - bottom - 12) + 4, 'text-anchor': 'end', 'font-size': 11 },
    format(max * f))));
  groups.forEach((g, i) => {
    const x = left + i * slot + slot * 0.15;
    const w = slot * 0.7;
    let y = height - bottom;
    keys.forEach((k, j) => {
      const value = g.values[k] || 0;
      const h = value / max * (height - bottom - 12);
      const bar = stacked ? svgNode('rect', { x, y: y - h, width: w, height: h, fill: colours[k] })
        : svgNode('rect', { x: x + j * w / keys.length, y: height - bottom - h, width: w / keys.length, height: h, fill: colours[k] });
      bar.append(svgNode('title', {}, g.label + ' · ' + words(k) + ': ' + format(value)));
      svg.append(bar);
      if (stacked) y -= h;
    });
    svg.append(svgNode('text', { x: x + w / 2, y: height - 10, 'text-anchor': 'middle', 'font-size': 11 }, g.label));
  });
  return svg;
}

function legend(keys, colours) {
  return el('div', { class: 'legend' }, keys.map((k) => el('span', {}, el('i', { class: 'swatch', 'data-colour': k, style: null }), words(k))));
}

function duration(seconds) {
  if (seconds < 90) return t('unit.seconds', Math.round(seconds));
  if (seconds < 5400) return t('unit.minutes', Math.round(seconds / 60));
  if (seconds < 172800) return t('unit.hours', (seconds / 3600).toFixed(1));
  return t('unit.days', (seconds / 86400).toFixed(1));
}

async function statistics() {
  const { status, body } = await api('/console/api/statistics');
  if (status !== 200) {
    show(el('h1', {}, t('statistics.title')), el('p', { class: 'error', id: 'statistics-error' }, body && body.message ? body.message : 'HTTP ' + status));
    return;
  }
  const f = statisticsFilter;
  const cells = body.requests.filter((c) => (!f.counterpart || c.counterpart === f.counterpart) && (!f.kind || c.kind === f.kind));
  const months = [...new Set(body.requests.map((c) => c.month))].sort();
  const byMonth = months.map((month) => {
    const values = {};
    cells.filter((c) => c.month === month).forEach((c) => { values[c.outcome] = (values[c.outcome] || 0) + c.requests; });
    return { label: month, values };
  });
  const inMonth = cells.filter((c) => !f.month || c.month === f.month);
  const table2 = {};
  inMonth.forEach((c) => {
    const key = c.counterpart + ' ' + c.kind;
    table2[key] = table2[key] || { counterpart: c.counterpart, kind: c.kind };
    table2[key][c.outcome] = (table2[key][c.outcome] || 0) + c.requests;
  });
  const pick = (name, values, label, shown) => el('label', {}, label + ' ', el('select', {
    id: 'statistics-' + name, onchange: (event) => { statisticsFilter[name] = event.target.value; statistics(); }
  }, el('option', { value: '' }, t('filter.all')), values.map((v) => el('option', { value: v, selected: f[name] === v }, shown ? shown(v) : v))));
  const times = (list) => list.map((t) => ({ label: t.month, values: { median: t.medianSeconds, p90: t.p90Seconds } }));
  const timeColours = { median: '#1f5fbf', p90: '#9bb7e0' };
  show(el('h1', {}, t('statistics.title')),
    el('p', { class: 'muted', id: 'statistics-note' }, t('statistics.note', body.timeZone) + (body.counting ? ' ' + t('statistics.counting') : '') + ' '
      + t('statistics.download') + ' ',
    el('a', { href: '/console/api/statistics.csv?table=requests', id: 'csv-requests' }, t('statistics.csvRequests')), ', ',
    el('a', { href: '/console/api/statistics.csv?table=times', id: 'csv-times' }, t('statistics.csvTimes')), ', ',
    el('a', { href: '/console/api/statistics.csv?table=overdue', id: 'csv-overdue' }, t('statistics.csvOverdue')), '.'),
    el('div', { class: 'filters' }, pick('counterpart', [...new Set(body.requests.map((c) => c.counterpart))].sort(), t('filter.counterpart')),
      pick('kind', [...new Set(body.requests.map((c) => c.kind))].sort(), t('filter.kind'), words), pick('month', months, t('statistics.month'))),
    el('h2', {}, t('statistics.byMonth')),
    el('div', { class: 'card chart-box' }, barChart('chart-requests', byMonth, OUTCOMES, OUTCOME_COLOURS, true, (v) => Math.round(v)),
      legend(OUTCOMES, OUTCOME_COLOURS)),
    el('h2', {}, t('statistics.toFirst')),
    el('div', { class: 'card chart-box' }, barChart('chart-first', times(body.timeToFirstDecision), ['median', 'p90'], timeColours, false, duration),
      legend(['median', 'p90'], timeColours)),
    el('h2', {}, t('statistics.toFinal')),
    el('div', { class: 'card chart-box' }, barChart('chart-final', times(body.timeToFinalDecision), ['median', 'p90'], timeColours, false, duration),
      legend(['median', 'p90'], timeColours)),
    el('h2', {}, t('statistics.overdue')),
    table([t('col.month'), t('col.toReview'), t('col.overdue'), t('col.share')], body.overdue.map((o) => el('tr', {}, el('td', {}, o.month), el('td', {}, o.toReview),
      el('td', {}, o.overdue), el('td', {}, (o.share * 100).toFixed(1) + ' %'))), 'statistics-overdue'),
    el('h2', {}, t('statistics.byCounterpart') + (f.month ? ', ' + f.month : '')),
    table([t('col.counterpart'), t('col.kind')].concat(OUTCOMES.map(words)), Object.values(table2).map((r) => el('tr', { 'data-row': r.counterpart + '-' + r.kind },
      el('td', {}, r.counterpart), el('td', {}, words(r.kind)), OUTCOMES.map((o) => el('td', { 'data-outcome': o }, r[o] || 0)))), 'statistics-table'));
}

// ---- Dead letters ----

async function deadLetters() {
  const { status, body } = await api('/console/api/dead-letters');
  if (status !== 200) {
    show(el('h1', {}, t('deadLetters.title')), el('p', { class: 'error', id: 'dead-letters-error' }, body && body.message ? body.message : 'HTTP ' + status));
    return;
  }
  const when = (iso) => iso.replace('T', ' ').substring(0, 19);
  show(el('h1', {}, t('deadLetters.title')),
    el('p', { class: 'muted', id: 'dead-letter-count' }, t(body.counting ? 'deadLetters.countCounting' : 'deadLetters.count', body.total) + ' ' + t('deadLetters.note')),
    el('h2', {}, t('deadLetters.byReason')),
    table([t('col.reason'), t('col.step'), t('col.from'), t('col.dlqTopic'), t('col.records'), t('col.first'), t('col.last')], body.byReason.map((g) =>
      el('tr', { 'data-reason': g.reason }, el('td', {}, words(g.reason)), el('td', {}, words('STAGE_' + g.stage)), el('td', {}, g.source), el('td', {}, g.topic),
        el('td', { class: 'count' }, g.count), el('td', {}, when(g.first)), el('td', {}, when(g.last)))), 'dead-letters-by-reason'),
    el('h2', {}, t('deadLetters.latest')),
    table([t('col.at'), t('col.reason'), t('col.from'), t('col.deadLetter')], body.latest.map((letter) => el('tr', {},
      el('td', {}, when(letter.at)), el('td', {}, words(letter.reason)),
      el('td', {}, letter.source + (letter.sourcePartition ? '-' + letter.sourcePartition + '@' + letter.sourceOffset : '')),
      el('td', {}, letter.topic + '-' + letter.partition + '@' + letter.offset))), 'dead-letters-latest'));
}

// ---- Coverage ----

/** An instrument's status in words: in force or not is always said, never implied. */
function statusWords(instrument) {
  const on = instrument.signedOn ? ' ' + t('status.signedOn', instrument.signedOn) : '';
  switch (instrument.status) {
    case 'IN_FORCE':
      if (instrument.standing === 'NOT_YET') return t('status.inForceFrom', instrument.inForceSince);
      if (instrument.standing === 'ENDED') return t('status.inForceUntil', instrument.inForceUntil);
      return instrument.inForceSince ? t('status.inForceSince', instrument.inForceSince) : t('status.inForce');
    case 'RATIFIED': return t('status.ratified', on);
    case 'SIGNED': return t('status.signed', on);
    case 'NEGOTIATING': return t('status.negotiating');
    case 'SUSPENDED': return t('status.suspended');
    case 'TERMINATED': return t('status.terminated');
    default: return words(instrument.status);
  }
}

async function coverage() {
  const { status, body } = await api('/console/api/coverage');
  if (status !== 200) {
    show(el('h1', {}, t('coverage.title')), el('p', { class: 'error', id: 'coverage-error' }, body && body.message ? body.message : 'HTTP ' + status));
    return;
  }
  const all = (list) => (list.length ? list.map(words).join(', ') : t('coverage.all'));
  // Who changed coverage and why, and what waits for a second supervisor (mla.treaties.four.eyes).
  const [proposals, history] = await Promise.all([api('/console/api/treaties/proposals'), api('/console/api/treaties/history')]);
  const changes = history.status === 200 ? history.body : [];
  show(el('h1', {}, t('coverage.title')),
    el('p', { class: 'muted' }, t('coverage.note', body.length)),
    proposals.status === 200 ? proposalList(proposals.body) : null,
    body.map((cp) => {
      const inForce = cp.instruments.filter((i) => i.inForce);
      return el('section', { class: 'counterpart', 'data-counterpart': cp.counterpartState },
        el('h2', {}, cp.counterpartState + ' ', cp.counterpartName, el('span', { class: 'muted' }, ' ' + t('coverage.revision', cp.revision))),
        el('p', { class: inForce.length ? '' : 'error' }, inForce.length
          ? t('coverage.inForceFor', [...new Set(inForce.flatMap((i) => i.covers))].map(words).join(', '))
          : t('coverage.noneNote')),
        table([t('col.instrument'), t('col.status'), t('col.covers'), t('col.measures'), t('col.offences'), t('col.source')], cp.instruments.map((i) => el('tr', { 'data-instrument': i.id },
          el('td', {}, el('strong', {}, i.title), el('div', { class: 'muted' }, i.id + ' · ' + words(i.type))),
          el('td', {}, el('span', { class: 'badge ' + (i.inForce ? 'ACCEPTED' : 'NEEDS_REVIEW') }, statusWords(i))),
          el('td', {}, i.covers.map(words).join(', ')), el('td', {}, all(i.measures)), el('td', {}, all(i.offenceCategories)),
          el('td', { class: 'source' }, i.source)))),
        changeHistory(changes.filter((c) => c.counterpartState === cp.counterpartState)));
    }));
}

/** One change's what-changed lines. */
function changeLines(change) {
  return el('ul', { class: 'changes' }, change.changes.map((line) => el('li', {}, line)));
}

/** The coverage changes waiting for a supervisor: approve or reject each, unless it is one's own proposal. */
function proposalList(proposals) {
  const roles = session.roles || [];
  return el('section', { id: 'proposals' }, el('h2', {}, t('changes.proposals')),
    proposals.length ? proposals.map((p) => {
      const message = el('p', { class: 'change-message' });
      const grounds = el('textarea', { rows: 2, placeholder: t('changes.rejectHint'), class: 'reject-grounds' });
      const decide = async (action) => {
        const { status, body } = await api('/console/api/treaties/' + encodeURIComponent(p.counterpartState) + '/' + action, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': session.csrfToken || '' },
          body: JSON.stringify({ grounds: grounds.value })
        });
        message.className = status === 200 ? 'ok' : 'error';
        message.textContent = status === 200 ? (action === 'approve' ? t('changes.approved', body.revision) : t('changes.rejected'))
          : (body && body.message ? body.message : 'HTTP ' + status);
        if (status === 200) setTimeout(coverage, 1500);
      };
      const mayDecide = session.user && roles.includes('supervisor');
      return el('div', { class: 'proposal', 'data-counterpart': p.counterpartState },
        el('h3', {}, p.counterpartState + ' · ' + t('coverage.revision', p.revision)),
        el('p', {}, t('changes.proposedBy', p.proposedBy, when(p.at)), ': ', el('em', {}, p.note || '–')), changeLines(p),
        mayDecide && session.user !== p.proposedBy
          ? el('form', { class: 'review', onsubmit: (e) => e.preventDefault() }, grounds,
            el('div', {}, el('button', { type: 'button', class: 'primary approve', onclick: () => decide('approve') }, t('changes.approve')), ' ',
              el('button', { type: 'button', class: 'danger reject', onclick: () => decide('reject') }, t('changes.reject'))))
          : el('p', { class: 'muted' }, session.user === p.proposedBy ? t('changes.awaitsOther') : t('changes.supervisorDecides')),
        message);
    }) : el('p', { class: 'muted', id: 'no-proposals' }, t('changes.none')));
}

/** A counterpart's coverage history: revision, state, when, who proposed and who decided, why, and what changed. */
function changeHistory(changes) {
  if (!changes.length) return null;
  return el('details', { class: 'history' }, el('summary', {}, t('changes.history', changes.length)),
    table([t('col.revision'), t('col.status'), t('col.at'), t('col.proposedBy'), t('col.decidedBy'), t('col.note'), t('col.changes')],
      changes.slice().reverse().map((c) => el('tr', { 'data-revision': c.revision, 'data-state': c.state },
        el('td', {}, c.revision), el('td', {}, words(c.state)), el('td', {}, when(c.at)), el('td', {}, c.proposedBy || '–'),
        el('td', {}, c.decidedBy || '–'), el('td', {}, c.note || '–', c.grounds ? el('div', { class: 'muted' }, c.grounds) : null),
        el('td', {}, changeLines(c)))), 'history-' + (changes[0] || {}).counterpartState));
}

// ---- Review queue ----

// What the reviewer asks of the queue: the router filters, orders and pages it (GET /reviews's parameters).
let queue = { counterpart: '', kind: '', category: '', urgency: '', overdue: '', coverageChanged: '', authority: '', id: '', sort: 'pending', order: 'asc', page: 1 };
const PAGE = 50;
let typing = null;
const KINDS = ['MUTUAL_LEGAL_ASSISTANCE', 'EXTRADITION', 'TRANSFER_OF_SENTENCED_PERSON'];
const CATEGORIES = ['CORRUPTION', 'FRAUD', 'MONEY_LAUNDERING', 'TERRORISM', 'TERRORIST_FINANCING', 'DRUG_TRAFFICKING',
  'HUMAN_TRAFFICKING', 'CYBERCRIME', 'TAX', 'VIOLENT_CRIME', 'OTHER'];

/** A code's text (kind, category, reason, route, status...), from the bundle; in words when it has none. */
function words(code) {
  if (!code) return '–';
  const key = 'code.' + String(code).toUpperCase();
  return Object.prototype.hasOwnProperty.call(text, key) ? text[key] : String(code).toLowerCase().replace(/_/g, ' ');
}

function queueQuery() {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(queue)) {
    if (value && name !== 'page') parameters.set(name, value);
  }
  parameters.set('limit', PAGE);
  parameters.set('page', queue.page);
  return parameters.toString();
}

function daysLeft(entry) {
  if (entry.overdue) return el('span', { class: 'badge overdue' }, t('queue.overdueDays', Math.abs(entry.daysLeft)));
  return t('unit.days', entry.daysLeft);
}

async function reviews() {
  const { status, body } = await api('/console/api/reviews?' + queueQuery());
  if (status !== 200) {
    banner('', false);
    show(el('h1', {}, t('queue.title')), el('p', { class: 'error', id: 'queue-error' }, body && body.message ? body.message : 'HTTP ' + status));
    return;
  }
  banner('', false);
  const focused = document.activeElement && document.activeElement.id;
  const change = (name, value) => { queue[name] = value; queue.page = 1; reviews(); };
  const select = (name, values, label, shown) => el('label', {}, label + ' ', el('select', {
    id: 'filter-' + name, onchange: (event) => change(name, event.target.value)
  }, el('option', { value: '' }, t('filter.all')), values.map((v) => el('option', { value: v, selected: queue[name] === v }, shown ? shown(v) : v))));
  // Typed text is kept as it is typed (the queue is redrawn every few seconds) and asked for once typing pauses.
  const textFilter = (name, label) => el('label', {}, label + ' ', el('input', {
    id: 'filter-' + name, type: 'search', value: queue[name], size: 12,
    oninput: (event) => {
      queue[name] = event.target.value.trim();
      queue.page = 1;
      clearTimeout(typing);
      typing = setTimeout(reviews, 400);
    }
  }));
  const heading = (label, sort) => el('th', { 'aria-sort': queue.sort === sort ? (queue.order === 'asc' ? 'ascending' : 'descending') : null },
    el('button', { type: 'button', class: 'sort', 'data-sort': sort, onclick: () => {
      queue.order = queue.sort === sort && queue.order === 'asc' ? 'desc' : 'asc';
      queue.sort = sort;
      queue.page = 1;
      reviews();
    } }, label, queue.sort === sort ? (queue.order === 'asc' ? ' ▲' : ' ▼') : ''));
  const rows = body.reviews.map((entry) => el('tr', { 'data-request': entry.requestId, class: entry.overdue ? 'overdue' : null },
    el('td', {}, el('a', { href: '/requests/' + encodeURIComponent(entry.requestId) }, entry.requestId)),
    el('td', { class: 'date' }, entry.receivedDate || '–'), el('td', {}, entry.requestingAuthority || '–'), el('td', {}, words(entry.kind)),
    el('td', {}, words(entry.offenceCategory)), el('td', {}, words(entry.urgency)),
    el('td', {}, entry.counterpartState, entry.counterpartName ? el('span', { class: 'muted' }, ' ' + entry.counterpartName) : null),
    el('td', { class: 'date' }, entry.deadlineDate), el('td', { class: 'days' }, daysLeft(entry)),
    el('td', { class: 'reasons' }, entry.reasons.map(words).join(', '), entry.awaitingConfirmation ? el('span', { class: 'badge' }, ' ' + t('queue.awaiting')) : null,
      entry.coverageChanged ? el('span', { class: 'badge changed ' + entry.coverageChanged.route, title: entry.coverageChanged.reasons.map(words).join(', ')
        + ' · ' + entry.coverageChanged.sinceDate }, ' ' + t('queue.coverageChanged', words(entry.coverageChanged.route))) : null)));
  const pager = el('div', { class: 'pager' },
    el('button', { type: 'button', id: 'page-previous', disabled: body.page <= 1, onclick: () => { queue.page--; reviews(); } }, t('queue.previous')),
    el('span', { id: 'page-of' }, ' ' + t('queue.pageOf', body.page, body.pages) + ' '),
    el('button', { type: 'button', id: 'page-next', disabled: body.page >= body.pages, onclick: () => { queue.page++; reviews(); } }, t('queue.next')));
  show(
    el('h1', {}, t('queue.title')),
    el('div', { class: 'filters' }, select('counterpart', body.counterparts || [], t('filter.counterpart')), select('kind', KINDS, t('filter.kind'), words),
      select('category', CATEGORIES, t('filter.offence'), words), select('urgency', ['URGENT', 'ROUTINE'], t('filter.urgency'), words),
      select('overdue', ['true', 'false'], t('filter.overdue'), (v) => (v === 'true' ? t('filter.overdueOnly') : t('filter.notOverdue'))),
      select('coverageChanged', ['true', 'false'], t('filter.coverageChanged'), (v) => (v === 'true' ? t('filter.coverageChangedOnly') : t('filter.coverageUnchanged'))),
      textFilter('authority', t('filter.authority')), textFilter('id', t('filter.idPrefix'))),
    el('p', { class: 'muted', id: 'queue-count' }, t('queue.count', body.total, body.overdue) + (body.total > PAGE ? ' ' + t('queue.perPage', PAGE) : '')
      + ' ' + t('queue.zone', body.timeZone || '–')),
    el('div', { class: 'scroll' }, el('table', { id: 'queue' },
      el('thead', {}, el('tr', {}, heading(t('col.request'), 'request'), heading(t('col.received'), 'received'), heading(t('col.authority'), 'authority'),
        heading(t('col.kind'), 'kind'), heading(t('col.offence'), 'category'), heading(t('col.urgency'), 'urgency'), heading(t('col.counterpart'), 'counterpart'),
        heading(t('col.deadline'), 'deadline'), el('th', {}, t('col.daysLeft')), el('th', {}, t('col.reasons')))),
      el('tbody', {}, rows.length ? rows : [el('tr', {}, el('td', { colspan: 10, class: 'muted' }, t('table.none')))]))),
    body.pages > 1 ? pager : null);
  if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
}

// ---- Request ----

async function request(id) {
  stopPolling();
  const [status, details] = await Promise.all([api('/console/api/requests/' + encodeURIComponent(id)),
    api('/console/api/details/' + encodeURIComponent(id) + '?subjects=true')]);
  if (status.status !== 200) {
    show(el('h1', {}, id), el('p', { class: 'error', id: 'request-error' }, status.body && status.body.message ? status.body.message : 'HTTP ' + status.status));
    if (status.status === 404) {
      // Not an id the router decided: the pending requests whose id starts with it, if any (the search box takes a prefix).
      const { status: answered, body } = await api('/console/api/reviews?id=' + encodeURIComponent(id) + '&limit=20');
      if (answered === 200 && body.total > 0) {
        document.getElementById('main').append(el('h2', {}, t('search.prefix', id)),
          el('ul', { id: 'prefix-matches' }, body.reviews.map((entry) => el('li', {}, el('a', { href: '/requests/' + encodeURIComponent(entry.requestId) },
            entry.requestId), ' ', el('span', { class: 'muted' }, entry.counterpartState + ' · ' + words(entry.kind))))),
          body.total > body.reviews.length ? el('p', { class: 'muted' }, el('a', { href: '/reviews' }, t('search.more', body.total))) : null);
      }
    }
    return;
  }
  const s = status.body;
  const d = details.status === 200 ? details.body : null;
  const rows = [
    [t('request.status'), el('span', { class: 'badge ' + s.status, id: 'request-status', 'data-status': s.status, title: s.status }, words(s.status))],
    [t('request.kind'), words(s.kind)], [t('request.counterpart'), s.counterpartState], [t('request.urgency'), words(s.urgency)],
    d ? [t('request.requestingState'), d.requestingState] : null, d ? [t('request.requestedState'), d.requestedState] : null,
    d ? [t('request.authority'), d.requestingAuthority] : null, d ? [t('request.measures'), d.measures.map(words).join(', ') || '–'] : null,
    d ? [t('request.category'), words(d.offenceCategory)] : null, d && d.concerns.length ? [t('request.concerns'), d.concerns.map(words).join(', ')] : null,
    [t('request.legalBasis'), s.legalBasis || '–'], [t('request.revision'), s.coverageRevision == null ? '–' : s.coverageRevision],
    d ? [t('request.received'), when(d.submittedAt)] : null,
    [t('request.firstDecided'), when(s.history.length ? s.history[0].decidedAt : s.decidedAt)],
    s.history.length > 1 ? [t('request.finallyDecided'), when(s.history[s.history.length - 1].decidedAt)] : null,
    d && d.deadline ? [t('request.deadline'), t('request.deadlineAt', when(d.deadline), dayIn(d.deadline, d.timeZone), d.timeZone)] : null,
    [t('request.overdue'), s.overdue ? t('yes') : t('no')]
  ].filter(Boolean);
  const parts = [
    el('h1', {}, s.requestId),
    el('dl', { id: 'request-details' }, rows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('h2', {}, t('request.reasons')),
    table([t('col.reason'), t('col.detail')], s.reasons.map((r) => el('tr', {}, el('td', { title: r.code }, words(r.code)), el('td', {}, r.detail))), 'reasons'),
    el('h2', {}, t('request.instruments', s.counterpartState)),
    el('div', { id: 'instruments' }, el('p', { class: 'muted' }, t('loading'))),
    el('h2', {}, t('request.history')),
    table([t('col.route'), t('col.decidedAt'), t('col.reviewer')], s.history.map((h) => el('tr', {}, el('td', {}, words(h.route)), el('td', {}, h.decidedAt), el('td', {}, h.reviewer || '–'))), 'history')
  ];
  if (s.review) {
    parts.push(el('h2', {}, t('review.title')), el('dl', { id: 'review' }, [[t('review.decision'), words(s.review.decision)], [t('review.reviewer'), s.review.reviewer],
      [t('review.grounds'), s.review.grounds], [t('review.reviewedAt'), s.review.reviewedAt],
      s.review.confirmedBy ? [t('review.confirmedBy'), t('review.byAt', s.review.confirmedBy, s.review.confirmedAt)] : null]
      .filter(Boolean).map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
  }
  if (s.coverageChanged) {
    // What the counterpart's new coverage would decide; nothing final without a person (docs/contract.md, "Coverage over time").
    const c = s.coverageChanged;
    parts.push(el('h2', {}, t('changed.title')), el('p', { class: 'muted' }, t('changed.explain', when(c.since))),
      el('dl', { id: 'coverage-changed' }, [[t('changed.route'), el('span', { class: 'badge ' + c.route, 'data-route': c.route }, words(c.route))],
        [t('request.legalBasis'), c.legalBasis || '–'], [t('changed.revision'), c.coverageRevision === null ? '–' : c.coverageRevision],
        [t('changed.since'), when(c.since)]].map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
      table([t('col.reason'), t('col.detail')], c.reasons.map((r) => el('tr', {}, el('td', { title: r.code }, words(r.code)), el('td', {}, r.detail))), 'changed-reasons'));
  }
  if (s.proposal) {
    parts.push(el('h2', {}, t('proposal.title')), el('dl', { id: 'proposal' }, [[t('proposal.decision'), words(s.proposal.decision)],
      [t('proposal.by'), s.proposal.reviewer], [t('review.grounds'), s.proposal.grounds], [t('request.legalBasis'), s.proposal.legalBasis || '–'],
      [t('proposal.at'), s.proposal.reviewedAt]].map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
  }
  if (d && d.subjects) {
    parts.push(el('h2', {}, t('request.subjects')), table([t('col.name'), t('col.role')], d.subjects.map((p) => el('tr', {}, el('td', {}, p.fullName), el('td', {}, words(p.role)))), 'subjects'));
  }
  const pending = s.status === 'NEEDS_REVIEW' && !s.review;
  const roles = session.roles || [];
  if (s.status === 'AWAITING_CONFIRMATION' && session.user && roles.includes('supervisor') && session.user !== s.proposal.reviewer) {
    parts.push(el('h2', {}, t('proposal.yours')), confirmationForm(s.requestId));
  } else if (s.status === 'AWAITING_CONFIRMATION') {
    parts.push(el('p', { class: 'muted', id: 'awaiting-confirmation' }, session.user === s.proposal.reviewer
      ? t('proposal.awaitsOther') : t('proposal.otherSupervisor', s.proposal.reviewer)));
  } else if (pending && session.user && roles.some((role) => role === 'reviewer' || role === 'supervisor')) {
    parts.push(el('h2', {}, t('review.yours')), reviewForm(s.requestId, s.counterpartState));
  } else if (pending) {
    parts.push(el('p', { class: 'muted', id: 'sign-in-to-act' }, session.signInEnabled || session.issuerSignIn
      ? t('review.signIn') : t('review.readOnly')));
  }
  show(...parts);
  // The counterpart's instruments as the coverage has them, in force or not, said in words.
  api('/console/api/coverage').then(({ status: answered, body }) => {
    const holder = document.getElementById('instruments');
    if (!holder) return;
    const cp = answered === 200 ? body.find((entry) => entry.counterpartState === s.counterpartState) : null;
    holder.replaceChildren(cp ? table([t('col.instrument'), t('col.status'), t('col.covers'), t('col.measures'), t('col.offences')], cp.instruments.map((i) => el('tr', { 'data-instrument': i.id },
      el('td', {}, el('strong', {}, i.title), el('div', { class: 'muted' }, i.id)),
      el('td', {}, el('span', { class: 'badge ' + (i.inForce ? 'ACCEPTED' : 'NEEDS_REVIEW') }, statusWords(i))),
      el('td', {}, i.covers.map(words).join(', ')), el('td', {}, i.measures.length ? i.measures.map(words).join(', ') : t('coverage.all')),
      el('td', {}, i.offenceCategories.length ? i.offenceCategories.map(words).join(', ') : t('coverage.all'))))) : el('p', { class: 'muted' }, t('request.noCoverage', s.counterpartState)));
  });
}

function when(iso) {
  return iso ? iso.replace('T', ' ').substring(0, 16) : '–';
}

/** The date of an instant in a time zone ("2026-12-08"). */
function dayIn(iso, zone) {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
  } catch (e) {
    return iso.substring(0, 10);
  }
}

/** Sends an outcome to the console's API and shows what became of it. */
async function sendOutcome(requestId, message, outcome) {
  message.className = '';
  message.textContent = t('review.recording');
  const { status, body } = await api('/console/api/reviews/' + encodeURIComponent(requestId), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': session.csrfToken || '' },
    body: JSON.stringify(outcome)
  });
  if (status === 200) {
    message.className = 'ok';
    message.textContent = body.status === 'AWAITING_CONFIRMATION'
      ? t('review.proposalRecorded', words(body.proposal.decision))
      : t('review.applied', words(body.status));
    setTimeout(() => request(requestId), 1500);
  } else {
    message.className = 'error';
    message.textContent = body && body.message ? body.message : 'HTTP ' + status;
  }
}

function reviewForm(requestId, counterpart) {
  const message = el('p', { id: 'review-message' });
  const grounds = el('textarea', { id: 'grounds', rows: 3, placeholder: t('review.groundsHint') });
  // The legal basis is a choice among the counterpart's instruments in force; none: the router's (or reciprocity).
  const legalBasis = el('select', { id: 'legal-basis' }, el('option', { value: '' }, t('review.routerBasis')));
  api('/console/api/instruments/' + encodeURIComponent(counterpart)).then(({ status, body }) => {
    if (status === 200) {
      body.forEach((instrument) => legalBasis.append(el('option', { value: instrument.id }, instrument.id + ' – ' + instrument.title)));
    }
  });
  const submit = (decision) => sendOutcome(requestId, message,
    { decision, grounds: grounds.value, legalBasis: decision === 'ACCEPTED' ? legalBasis.value : '' });
  return el('form', { class: 'review', id: 'review-form', onsubmit: (e) => e.preventDefault() },
    el('label', { for: 'grounds' }, t('review.grounds')), grounds,
    el('label', { for: 'legal-basis' }, t('request.legalBasis')), legalBasis,
    el('div', {}, el('button', { type: 'button', class: 'primary', id: 'accept', onclick: () => submit('ACCEPTED') }, t('review.accept')), ' ',
      el('button', { type: 'button', class: 'danger', id: 'refuse', onclick: () => submit('REFUSED') }, t('review.refuse'))),
    message);
}

function confirmationForm(requestId) {
  const message = el('p', { id: 'review-message' });
  const grounds = el('textarea', { id: 'grounds', rows: 3, placeholder: t('proposal.returnHint') });
  return el('form', { class: 'review', id: 'confirmation-form', onsubmit: (e) => e.preventDefault() },
    el('label', { for: 'grounds' }, t('review.grounds')), grounds,
    el('div', {}, el('button', { type: 'button', class: 'primary', id: 'confirm', onclick: () => sendOutcome(requestId, message,
      { kind: 'CONFIRMATION', grounds: '' }) }, t('proposal.confirm')), ' ',
    el('button', { type: 'button', id: 'return', onclick: () => sendOutcome(requestId, message,
      { kind: 'RETURN', grounds: grounds.value }) }, t('proposal.return'))),
    message);
}

// ---- Account, search, routing ----

function renderAccount() {
  const account = document.getElementById('account');
  if (session.user) {
    account.replaceChildren(el('span', { id: 'signed-in' }, t('account.signedInAs', session.user)),
      el('button', { type: 'button', id: 'sign-out', onclick: async () => { await api('/console/signout', { method: 'POST' }); location.reload(); } }, t('account.signOut')));
  } else if (session.signInEnabled || session.issuerSignIn) {
    const issuer = session.issuerSignIn
      ? el('a', { id: 'sign-in-issuer', class: 'button', href: '/console/oidc/start' }, t('account.issuer')) : null;
    const failed = new URLSearchParams(location.search).get('signin') === 'failed'
      ? el('span', { id: 'sign-in-error', class: 'error' }, t('account.refused')) : null;
    if (!session.signInEnabled) {
      account.replaceChildren(issuer, ' ', failed);
      return;
    }
    const user = el('input', { id: 'user', placeholder: t('account.user'), autocomplete: 'username', 'aria-label': t('account.user') });
    const password = el('input', { id: 'password', type: 'password', placeholder: t('account.password'), autocomplete: 'current-password', 'aria-label': t('account.password') });
    const error = el('span', { id: 'sign-in-error', class: 'error' });
    account.replaceChildren(el('form', { id: 'sign-in', onsubmit: async (event) => {
      event.preventDefault();
      const { status, body } = await api('/console/signin', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ user: user.value, password: password.value }) });
      if (status === 200) location.reload(); else error.textContent = body && body.message ? body.message : 'HTTP ' + status;
    } }, user, ' ', password, ' ', el('button', { type: 'submit', id: 'sign-in-button' }, t('account.signIn')), ' ', error), ' ', issuer);
  } else {
    account.replaceChildren(el('span', { class: 'muted' }, t('account.readOnly')));
  }
}

function stopPolling() {
  if (timer) clearInterval(timer);
  timer = null;
}

function poll(render, seconds) {
  stopPolling();
  render();
  timer = setInterval(render, seconds * 1000);
}

/** The page's own texts (navigation, search) and the language switch, once the bundle is loaded. */
function labelPage(messages) {
  document.documentElement.lang = messages.language;
  document.title = t('page.title');
  [['nav-overview', 'nav.overview'], ['nav-reviews', 'nav.reviews'], ['nav-statistics', 'nav.statistics'], ['nav-coverage', 'nav.coverage'],
    ['nav-dead-letters', 'nav.deadLetters'], ['search-button', 'search.find']].forEach(([id, key]) => {
    const node = document.getElementById(id);
    if (node) node.textContent = t(key);
  });
  const search = document.getElementById('search-id');
  search.placeholder = t('search.placeholder');
  search.setAttribute('aria-label', t('search.placeholder'));
  const languages = document.getElementById('language');
  languages.replaceChildren(...messages.languages.map((language) => el('option', { value: language.code, selected: language.code === messages.language }, language.name)));
  languages.setAttribute('aria-label', t('language.label'));
  languages.onchange = () => {
    // The choice is kept in a cookie of this console (a year), and the page drawn again in it.
    document.cookie = 'mla_lang=' + languages.value + '; Path=/; Max-Age=31536000; SameSite=Strict';
    location.reload();
  };
}

async function start() {
  const [answer, messages] = await Promise.all([api('/console/api/session'), api('/console/api/messages')]);
  if (answer.status === 200) session = answer.body;
  if (messages.status === 200) {
    text = messages.body.messages;
    labelPage(messages.body);
  }
  renderAccount();
  document.getElementById('search').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = document.getElementById('search-id').value.trim();
    if (id) location.href = '/requests/' + encodeURIComponent(id);
  });
  const path = location.pathname;
  if (path.startsWith('/requests/')) {
    request(decodeURIComponent(path.substring('/requests/'.length)));
  } else if (path === '/statistics') {
    document.getElementById('nav-statistics').classList.add('current');
    poll(statistics, 10);
  } else if (path === '/dead-letters') {
    document.getElementById('nav-dead-letters').classList.add('current');
    poll(deadLetters, 5);
  } else if (path === '/coverage') {
    document.getElementById('nav-coverage').classList.add('current');
    coverage();
  } else if (path === '/reviews') {
    document.getElementById('nav-reviews').classList.add('current');
    poll(reviews, 5);
  } else {
    document.getElementById('nav-overview').classList.add('current');
    poll(overview, 3);
  }
}

start();
