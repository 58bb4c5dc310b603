// The mla-router console: plain JavaScript, no library, nothing loaded from elsewhere. Every value from the router is
// put in the page as text (textContent), never as HTML.
'use strict';

let session = { signInEnabled: false, user: null, csrfToken: null };
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
  if (seconds < 90) return Math.round(seconds) + ' s';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min';
  if (seconds < 172800) return Math.round(seconds / 3600) + ' h';
  return Math.round(seconds / 86400) + ' d';
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
    el('tbody', {}, rows.length ? rows : [el('tr', {}, el('td', { colspan: headings.length, class: 'muted' }, 'None'))])));
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
    banner(body && body.message ? body.message : 'The router does not answer (HTTP ' + status + ')', true);
    return;
  }
  const troubles = [];
  if (body.state !== 'RUNNING') troubles.push('The router is ' + body.state + ', not RUNNING.');
  if (body.kafka) troubles.push(body.kafka);
  if (body.problem) troubles.push(body.problem);
  banner(troubles.join(' '), troubles.length > 0);
  const latest = (topic) => (topic.series.length ? topic.series[topic.series.length - 1][1] : 0);
  const routes = body.decisionsByRoute || {};
  show(
    el('h1', {}, 'Overview'),
    el('div', { class: 'cards' },
      card('Router state', body.state, 'state'),
      card('Stream threads', body.threads, 'threads'),
      card('Lag on requests', body.lag === null ? '–' : body.lag, 'lag'),
      card('Requests decided (this instance)', body.requestsDecided, 'decisions-total'),
      card('Reviews applied (this instance)', body.reviewsApplied, 'reviews-applied'),
      card('Pending reviews', body.reviews.pending === undefined ? '–' : body.reviews.pending, 'pending'),
      card('Oldest pending', age(body.reviews.oldestPendingSince), 'oldest'),
      card('Overdue reviews', body.reviews.overdue === undefined ? '–' : body.reviews.overdue, 'overdue')),
    el('h2', {}, 'Records per second, last minutes'),
    el('div', { class: 'charts' }, body.topics.map((topic) => el('div', { class: 'card chart', 'data-role': topic.role },
      el('div', { class: 'label' }, el('span', { class: 'rate', 'data-rate': topic.role }, latest(topic).toFixed(1) + '/s'),
        topic.label, ' ', el('span', { class: 'muted' }, topic.topic)),
      sparkline(topic.series),
      el('div', { class: 'label' }, el('span', { 'data-records': topic.role }, topic.records), topic.counting ? ' records so far (counting)' : ' records')))),
    el('h2', {}, 'Decisions by route'),
    table(['route', 'decisions'], Object.entries(routes).map(([route, n]) => el('tr', {}, el('td', {}, route), el('td', { 'data-route': route }, n))), 'by-route'),
    el('h2', {}, 'Decisions by counterpart'),
    table(['counterpart', 'accepted', 'refused', 'needs review'], Object.entries(body.decisionsByCounterpart || {}).map(([cp, byRoute]) =>
      el('tr', {}, el('td', {}, cp), el('td', {}, byRoute.accepted || 0), el('td', {}, byRoute.refused || 0), el('td', {}, byRoute.needs_review || 0))), 'by-counterpart'),
    el('h2', {}, 'Treaty coverage'),
    el('p', { class: 'muted' }, 'What each counterpart\'s instruments cover, in force or not. ', el('a', { href: '/coverage' }, 'Every instrument')),
    table(['counterpart', 'in force for', 'not in force', 'revision'], (body.coverage || []).map((cp) => {
      const inForce = cp.instruments.filter((i) => i.inForce);
      const kinds = [...new Set(inForce.flatMap((i) => i.covers))];
      return el('tr', { 'data-counterpart': cp.counterpartState },
        el('td', {}, cp.counterpartState, el('span', { class: 'muted' }, ' ' + cp.counterpartName)),
        el('td', { class: 'in-force' }, kinds.length ? kinds.map(words).join(', ') : el('span', { class: 'badge overdue' }, 'no instrument in force')),
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
  const slot = (width - left - 10) / Math.max(1, groups.length);
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
  if (seconds < 90) return Math.round(seconds) + ' s';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min';
  if (seconds < 172800) return (seconds / 3600).toFixed(1) + ' h';
  return (seconds / 86400).toFixed(1) + ' d';
}

async function statistics() {
  const { status, body } = await api('/console/api/statistics');
  if (status !== 200) {
    show(el('h1', {}, 'Statistics'), el('p', { class: 'error', id: 'statistics-error' }, body && body.message ? body.message : 'HTTP ' + status));
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
  const pick = (name, values, label, text) => el('label', {}, label + ' ', el('select', {
    id: 'statistics-' + name, onchange: (event) => { statisticsFilter[name] = event.target.value; statistics(); }
  }, el('option', { value: '' }, 'all'), values.map((v) => el('option', { value: v, selected: f[name] === v }, text ? text(v) : v))));
  const times = (list) => list.map((t) => ({ label: t.month, values: { median: t.medianSeconds, p90: t.p90Seconds } }));
  const timeColours = { median: '#1f5fbf', p90: '#9bb7e0' };
  show(el('h1', {}, 'Statistics'),
    el('p', { class: 'muted', id: 'statistics-note' }, 'From the decision topics, the same on every instance and after a restart'
      + (body.counting ? ' (still counting)' : '') + '; months in ' + body.timeZone + '. Download as CSV: ',
    el('a', { href: '/console/api/statistics.csv?table=requests', id: 'csv-requests' }, 'requests'), ', ',
    el('a', { href: '/console/api/statistics.csv?table=times', id: 'csv-times' }, 'times'), ', ',
    el('a', { href: '/console/api/statistics.csv?table=overdue', id: 'csv-overdue' }, 'overdue'), '.'),
    el('div', { class: 'filters' }, pick('counterpart', [...new Set(body.requests.map((c) => c.counterpart))].sort(), 'Counterpart'),
      pick('kind', [...new Set(body.requests.map((c) => c.kind))].sort(), 'Kind', words), pick('month', months, 'Month (table)')),
    el('h2', {}, 'Requests by month and outcome'),
    el('div', { class: 'card chart-box' }, barChart('chart-requests', byMonth, OUTCOMES, OUTCOME_COLOURS, true, (v) => Math.round(v)),
      legend(OUTCOMES, OUTCOME_COLOURS)),
    el('h2', {}, 'Time from receipt to the first decision'),
    el('div', { class: 'card chart-box' }, barChart('chart-first', times(body.timeToFirstDecision), ['median', 'p90'], timeColours, false, duration),
      legend(['median', 'p90'], timeColours)),
    el('h2', {}, 'Time from receipt to the final decision'),
    el('div', { class: 'card chart-box' }, barChart('chart-final', times(body.timeToFinalDecision), ['median', 'p90'], timeColours, false, duration),
      legend(['median', 'p90'], timeColours)),
    el('h2', {}, 'Reviews gone overdue'),
    table(['month', 'to review', 'overdue', 'share'], body.overdue.map((o) => el('tr', {}, el('td', {}, o.month), el('td', {}, o.toReview),
      el('td', {}, o.overdue), el('td', {}, (o.share * 100).toFixed(1) + ' %'))), 'statistics-overdue'),
    el('h2', {}, 'By counterpart and kind' + (f.month ? ', ' + f.month : '')),
    table(['counterpart', 'kind'].concat(OUTCOMES.map(words)), Object.values(table2).map((r) => el('tr', { 'data-row': r.counterpart + '-' + r.kind },
      el('td', {}, r.counterpart), el('td', {}, words(r.kind)), OUTCOMES.map((o) => el('td', { 'data-outcome': o }, r[o] || 0)))), 'statistics-table'));
}

// ---- Dead letters ----

async function deadLetters() {
  const { status, body } = await api('/console/api/dead-letters');
  if (status !== 200) {
    show(el('h1', {}, 'Dead letters'), el('p', { class: 'error', id: 'dead-letters-error' }, body && body.message ? body.message : 'HTTP ' + status));
    return;
  }
  const when = (iso) => iso.replace('T', ' ').substring(0, 19);
  show(el('h1', {}, 'Dead letters'),
    el('p', { class: 'muted', id: 'dead-letter-count' }, body.total + ' records on the dead-letter topics' + (body.counting ? ' so far (counting)' : '')
      + '. Each says why (reason), at which step, and where it came from; its content is never shown here.'),
    el('h2', {}, 'By reason and source'),
    table(['reason', 'step', 'from', 'dead-letter topic', 'records', 'first', 'last'], body.byReason.map((g) =>
      el('tr', { 'data-reason': g.reason }, el('td', {}, words(g.reason)), el('td', {}, g.stage), el('td', {}, g.source), el('td', {}, g.topic),
        el('td', { class: 'count' }, g.count), el('td', {}, when(g.first)), el('td', {}, when(g.last)))), 'dead-letters-by-reason'),
    el('h2', {}, 'Latest'),
    table(['at', 'reason', 'from', 'dead letter'], body.latest.map((letter) => el('tr', {},
      el('td', {}, when(letter.at)), el('td', {}, words(letter.reason)),
      el('td', {}, letter.source + (letter.sourcePartition ? '-' + letter.sourcePartition + '@' + letter.sourceOffset : '')),
      el('td', {}, letter.topic + '-' + letter.partition + '@' + letter.offset))), 'dead-letters-latest'));
}

// ---- Coverage ----

/** An instrument's status in words: in force or not is always said, never implied. */
function statusWords(instrument) {
  const signed = instrument.signedOn ? ' on ' + instrument.signedOn : '';
  switch (instrument.status) {
    case 'IN_FORCE': return 'in force' + (instrument.inForceSince ? ' since ' + instrument.inForceSince : '');
    case 'RATIFIED': return 'ratified' + signed + ', not yet in force';
    case 'SIGNED': return 'signed' + signed + ', not in force';
    case 'NEGOTIATING': return 'under negotiation, not in force';
    case 'SUSPENDED': return 'suspended, not in force';
    case 'TERMINATED': return 'terminated, not in force';
    default: return words(instrument.status);
  }
}

async function coverage() {
  const { status, body } = await api('/console/api/coverage');
  if (status !== 200) {
    show(el('h1', {}, 'Treaty coverage'), el('p', { class: 'error', id: 'coverage-error' }, body && body.message ? body.message : 'HTTP ' + status));
    return;
  }
  const all = (list) => (list.length ? list.map(words).join(', ') : 'all');
  show(el('h1', {}, 'Treaty coverage'),
    el('p', { class: 'muted' }, body.length + ' counterparts. A request is decided on an instrument in force only; one that is signed, ratified or under negotiation sends it to review.'),
    body.map((cp) => {
      const inForce = cp.instruments.filter((i) => i.inForce);
      return el('section', { class: 'counterpart', 'data-counterpart': cp.counterpartState },
        el('h2', {}, cp.counterpartState + ' ', cp.counterpartName, el('span', { class: 'muted' }, ' revision ' + cp.revision)),
        el('p', { class: inForce.length ? '' : 'error' }, inForce.length
          ? 'In force for ' + [...new Set(inForce.flatMap((i) => i.covers))].map(words).join(', ') + '.'
          : 'No instrument in force: every request goes to review.'),
        table(['instrument', 'status', 'covers', 'measures', 'offences', 'source'], cp.instruments.map((i) => el('tr', { 'data-instrument': i.id },
          el('td', {}, el('strong', {}, i.title), el('div', { class: 'muted' }, i.id + ' · ' + words(i.type))),
          el('td', {}, el('span', { class: 'badge ' + (i.inForce ? 'ACCEPTED' : 'NEEDS_REVIEW') }, statusWords(i))),
          el('td', {}, i.covers.map(words).join(', ')), el('td', {}, all(i.measures)), el('td', {}, all(i.offenceCategories)),
          el('td', { class: 'source' }, i.source)))));
    }));
}

// ---- Review queue ----

// What the reviewer asks of the queue: the router filters, orders and pages it (GET /reviews's parameters).
let queue = { counterpart: '', kind: '', category: '', urgency: '', overdue: '', authority: '', id: '', sort: 'pending', order: 'asc', page: 1 };
const PAGE = 50;
let typing = null;
const KINDS = ['MUTUAL_LEGAL_ASSISTANCE', 'EXTRADITION', 'TRANSFER_OF_SENTENCED_PERSON'];
const CATEGORIES = ['CORRUPTION', 'FRAUD', 'MONEY_LAUNDERING', 'TERRORISM', 'TERRORIST_FINANCING', 'DRUG_TRAFFICKING',
  'HUMAN_TRAFFICKING', 'CYBERCRIME', 'TAX', 'VIOLENT_CRIME', 'OTHER'];

function words(code) {
  return code ? code.toLowerCase().replace(/_/g, ' ') : '–';
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
  if (entry.overdue) return el('span', { class: 'badge overdue' }, 'overdue ' + Math.abs(entry.daysLeft) + ' d');
  return entry.daysLeft + ' d';
}

async function reviews() {
  const { status, body } = await api('/console/api/reviews?' + queueQuery());
  if (status !== 200) {
    banner('', false);
    show(el('h1', {}, 'Review queue'), el('p', { class: 'error', id: 'queue-error' }, body && body.message ? body.message : 'HTTP ' + status));
    return;
  }
  banner('', false);
  const focused = document.activeElement && document.activeElement.id;
  const change = (name, value) => { queue[name] = value; queue.page = 1; reviews(); };
  const select = (name, values, label, text) => el('label', {}, label + ' ', el('select', {
    id: 'filter-' + name, onchange: (event) => change(name, event.target.value)
  }, el('option', { value: '' }, 'all'), values.map((v) => el('option', { value: v, selected: queue[name] === v }, text ? text(v) : v))));
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
    el('td', { class: 'reasons' }, entry.reasons.map(words).join(', '), entry.awaitingConfirmation ? el('span', { class: 'badge' }, ' awaiting confirmation') : null)));
  const pager = el('div', { class: 'pager' },
    el('button', { type: 'button', id: 'page-previous', disabled: body.page <= 1, onclick: () => { queue.page--; reviews(); } }, '‹ Previous'),
    el('span', { id: 'page-of' }, ' page ' + body.page + ' of ' + body.pages + ' '),
    el('button', { type: 'button', id: 'page-next', disabled: body.page >= body.pages, onclick: () => { queue.page++; reviews(); } }, 'Next ›'));
  show(
    el('h1', {}, 'Review queue'),
    el('div', { class: 'filters' }, select('counterpart', body.counterparts || [], 'Counterpart'), select('kind', KINDS, 'Kind', words),
      select('category', CATEGORIES, 'Offence', words), select('urgency', ['URGENT', 'ROUTINE'], 'Urgency', words),
      select('overdue', ['true', 'false'], 'Overdue', (v) => (v === 'true' ? 'overdue only' : 'not overdue')),
      textFilter('authority', 'Authority'), textFilter('id', 'Id starts with')),
    el('p', { class: 'muted', id: 'queue-count' }, body.total + ' pending, ' + body.overdue + ' overdue' + (body.total > PAGE ? ', ' + PAGE + ' a page' : '')
      + '; deadlines in ' + (body.timeZone || 'the home state\'s time zone')),
    el('div', { class: 'scroll' }, el('table', { id: 'queue' },
      el('thead', {}, el('tr', {}, heading('request', 'request'), heading('received', 'received'), heading('authority', 'authority'),
        heading('kind', 'kind'), heading('offence', 'category'), heading('urgency', 'urgency'), heading('counterpart', 'counterpart'),
        heading('deadline', 'deadline'), el('th', {}, 'days left'), el('th', {}, 'reasons'))),
      el('tbody', {}, rows.length ? rows : [el('tr', {}, el('td', { colspan: 10, class: 'muted' }, 'None'))]))),
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
    return;
  }
  const s = status.body;
  const d = details.status === 200 ? details.body : null;
  const rows = [
    ['Status', el('span', { class: 'badge ' + s.status, id: 'request-status' }, s.status)],
    ['Kind', s.kind], ['Counterpart', s.counterpartState], ['Urgency', s.urgency],
    d ? ['Requesting state', d.requestingState] : null, d ? ['Requested state', d.requestedState] : null,
    d ? ['Requesting authority', d.requestingAuthority] : null, d ? ['Measures', d.measures.join(', ') || '–'] : null,
    d ? ['Offence category', d.offenceCategory] : null, d && d.concerns.length ? ['Concerns', d.concerns.join(', ')] : null,
    ['Legal basis', s.legalBasis || '–'], ['Coverage revision', s.coverageRevision === undefined ? '–' : s.coverageRevision],
    d ? ['Received', when(d.submittedAt)] : null,
    ['First decided', when(s.history.length ? s.history[0].decidedAt : s.decidedAt)],
    s.history.length > 1 ? ['Finally decided', when(s.history[s.history.length - 1].decidedAt)] : null,
    d && d.deadline ? ['Review deadline', when(d.deadline) + ' UTC (' + dayIn(d.deadline, d.timeZone) + ' in ' + d.timeZone + ')'] : null,
    ['Overdue', s.overdue ? 'yes' : 'no']
  ].filter(Boolean);
  const parts = [
    el('h1', {}, s.requestId),
    el('dl', { id: 'request-details' }, rows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('h2', {}, 'Reasons'),
    table(['reason', 'detail'], s.reasons.map((r) => el('tr', {}, el('td', { title: r.code }, words(r.code)), el('td', {}, r.detail))), 'reasons'),
    el('h2', {}, 'Instruments with ' + s.counterpartState),
    el('div', { id: 'instruments' }, el('p', { class: 'muted' }, 'Loading…')),
    el('h2', {}, 'History'),
    table(['route', 'decided at', 'reviewer'], s.history.map((h) => el('tr', {}, el('td', {}, h.route), el('td', {}, h.decidedAt), el('td', {}, h.reviewer || '–'))), 'history')
  ];
  if (s.review) {
    parts.push(el('h2', {}, 'Review'), el('dl', { id: 'review' }, [['Decision', s.review.decision], ['Reviewer', s.review.reviewer],
      ['Grounds', s.review.grounds], ['Reviewed at', s.review.reviewedAt],
      s.review.confirmedBy ? ['Confirmed by', s.review.confirmedBy + ' at ' + s.review.confirmedAt] : null]
      .filter(Boolean).map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
  }
  if (s.proposal) {
    parts.push(el('h2', {}, 'Awaiting confirmation'), el('dl', { id: 'proposal' }, [['Proposed decision', s.proposal.decision],
      ['Proposed by', s.proposal.reviewer], ['Grounds', s.proposal.grounds], ['Legal basis', s.proposal.legalBasis || '–'],
      ['Proposed at', s.proposal.reviewedAt]].map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
  }
  if (d && d.subjects) {
    parts.push(el('h2', {}, 'Subjects'), table(['name', 'role'], d.subjects.map((p) => el('tr', {}, el('td', {}, p.fullName), el('td', {}, p.role))), 'subjects'));
  }
  const pending = s.status === 'NEEDS_REVIEW' && !s.review;
  const roles = session.roles || [];
  if (s.status === 'AWAITING_CONFIRMATION' && session.user && roles.includes('supervisor') && session.user !== s.proposal.reviewer) {
    parts.push(el('h2', {}, 'Your confirmation'), confirmationForm(s.requestId));
  } else if (s.status === 'AWAITING_CONFIRMATION') {
    parts.push(el('p', { class: 'muted', id: 'awaiting-confirmation' }, session.user === s.proposal.reviewer
      ? 'Your proposal awaits confirmation by another supervisor.' : 'A supervisor other than ' + s.proposal.reviewer + ' confirms or returns this proposal.'));
  } else if (pending && session.user && roles.some((role) => role === 'reviewer' || role === 'supervisor')) {
    parts.push(el('h2', {}, 'Your decision'), reviewForm(s.requestId, s.counterpartState));
  } else if (pending) {
    parts.push(el('p', { class: 'muted', id: 'sign-in-to-act' }, session.signInEnabled || session.issuerSignIn
      ? 'Sign in as a reviewer to accept or refuse this request.' : 'This console is read-only: no reviewers are configured.'));
  }
  show(...parts);
  // The counterpart's instruments as the coverage has them, in force or not, said in words.
  api('/console/api/coverage').then(({ status: answered, body }) => {
    const holder = document.getElementById('instruments');
    if (!holder) return;
    const cp = answered === 200 ? body.find((entry) => entry.counterpartState === s.counterpartState) : null;
    holder.replaceChildren(cp ? table(['instrument', 'status', 'covers', 'measures', 'offences'], cp.instruments.map((i) => el('tr', { 'data-instrument': i.id },
      el('td', {}, el('strong', {}, i.title), el('div', { class: 'muted' }, i.id)),
      el('td', {}, el('span', { class: 'badge ' + (i.inForce ? 'ACCEPTED' : 'NEEDS_REVIEW') }, statusWords(i))),
      el('td', {}, i.covers.map(words).join(', ')), el('td', {}, i.measures.length ? i.measures.map(words).join(', ') : 'all'),
      el('td', {}, i.offenceCategories.length ? i.offenceCategories.map(words).join(', ') : 'all')))) : el('p', { class: 'muted' }, 'No coverage with ' + s.counterpartState));
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
  message.textContent = 'Recording…';
  const { status, body } = await api('/console/api/reviews/' + encodeURIComponent(requestId), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': session.csrfToken || '' },
    body: JSON.stringify(outcome)
  });
  if (status === 200) {
    message.className = 'ok';
    message.textContent = body.status === 'AWAITING_CONFIRMATION'
      ? 'Proposal ' + body.proposal.decision + ' recorded: it awaits confirmation by another supervisor.'
      : 'Applied: the request is ' + body.status + '.';
    setTimeout(() => request(requestId), 1500);
  } else {
    message.className = 'error';
    message.textContent = body && body.message ? body.message : 'HTTP ' + status;
  }
}

function reviewForm(requestId, counterpart) {
  const message = el('p', { id: 'review-message' });
  const grounds = el('textarea', { id: 'grounds', rows: 3, placeholder: 'Your reasoning (no personal data)' });
  // The legal basis is a choice among the counterpart's instruments in force; none: the router's (or reciprocity).
  const legalBasis = el('select', { id: 'legal-basis' }, el('option', { value: '' }, "The router's legal basis (accept only)"));
  api('/console/api/instruments/' + encodeURIComponent(counterpart)).then(({ status, body }) => {
    if (status === 200) {
      body.forEach((instrument) => legalBasis.append(el('option', { value: instrument.id }, instrument.id + ' – ' + instrument.title)));
    }
  });
  const submit = (decision) => sendOutcome(requestId, message,
    { decision, grounds: grounds.value, legalBasis: decision === 'ACCEPTED' ? legalBasis.value : '' });
  return el('form', { class: 'review', id: 'review-form', onsubmit: (e) => e.preventDefault() },
    el('label', { for: 'grounds' }, 'Grounds'), grounds,
    el('label', { for: 'legal-basis' }, 'Legal basis'), legalBasis,
    el('div', {}, el('button', { type: 'button', class: 'primary', id: 'accept', onclick: () => submit('ACCEPTED') }, 'Accept'), ' ',
      el('button', { type: 'button', class: 'danger', id: 'refuse', onclick: () => submit('REFUSED') }, 'Refuse')),
    message);
}

function confirmationForm(requestId) {
  const message = el('p', { id: 'review-message' });
  const grounds = el('textarea', { id: 'grounds', rows: 3, placeholder: 'Why it goes back (a return only; no personal data)' });
  return el('form', { class: 'review', id: 'confirmation-form', onsubmit: (e) => e.preventDefault() },
    el('label', { for: 'grounds' }, 'Grounds'), grounds,
    el('div', {}, el('button', { type: 'button', class: 'primary', id: 'confirm', onclick: () => sendOutcome(requestId, message,
      { kind: 'CONFIRMATION', grounds: '' }) }, 'Confirm'), ' ',
    el('button', { type: 'button', id: 'return', onclick: () => sendOutcome(requestId, message,
      { kind: 'RETURN', grounds: grounds.value }) }, 'Return')),
    message);
}

// ---- Account, search, routing ----

function renderAccount() {
  const account = document.getElementById('account');
  if (session.user) {
    account.replaceChildren(el('span', { id: 'signed-in' }, 'Signed in as ' + session.user),
      el('button', { type: 'button', id: 'sign-out', onclick: async () => { await api('/console/signout', { method: 'POST' }); location.reload(); } }, 'Sign out'));
  } else if (session.signInEnabled || session.issuerSignIn) {
    const issuer = session.issuerSignIn
      ? el('a', { id: 'sign-in-issuer', class: 'button', href: '/console/oidc/start' }, 'Sign in with your organisation') : null;
    const failed = new URLSearchParams(location.search).get('signin') === 'failed'
      ? el('span', { id: 'sign-in-error', class: 'error' }, 'The sign-in was refused') : null;
    if (!session.signInEnabled) {
      account.replaceChildren(issuer, ' ', failed);
      return;
    }
    const user = el('input', { id: 'user', placeholder: 'Reviewer', autocomplete: 'username', 'aria-label': 'Reviewer' });
    const password = el('input', { id: 'password', type: 'password', placeholder: 'Password', autocomplete: 'current-password', 'aria-label': 'Password' });
    const error = el('span', { id: 'sign-in-error', class: 'error' });
    account.replaceChildren(el('form', { id: 'sign-in', onsubmit: async (event) => {
      event.preventDefault();
      const { status, body } = await api('/console/signin', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ user: user.value, password: password.value }) });
      if (status === 200) location.reload(); else error.textContent = body && body.message ? body.message : 'HTTP ' + status;
    } }, user, ' ', password, ' ', el('button', { type: 'submit', id: 'sign-in-button' }, 'Sign in'), ' ', error), ' ', issuer);
  } else {
    account.replaceChildren(el('span', { class: 'muted' }, 'Read-only'));
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

async function start() {
  const answer = await api('/console/api/session');
  if (answer.status === 200) session = answer.body;
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
