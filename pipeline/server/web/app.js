// billwise web page: drop bills, show each report, keep the profile in this browser,
// download letters. Talks only to this server's JSON API; no third-party code.
'use strict';

const PROFILE_KEY = 'billwise.profile';
const NUMBER_KEYS = ['household_size', 'annual_income', 'monthly_budget', 'lump_sum_available'];

// ---- small DOM helpers ------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}
function svg(tag, attrs, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : String(c));
  return node;
}
function money(v) {
  if (v === null || v === undefined) return '—';
  const sign = v < 0 ? '-' : '';
  return sign + '$' + Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

// ---- profile (localStorage only) --------------------------------------------------
const form = document.getElementById('profile');
function readForm() {
  const p = {};
  for (const field of form.elements) {
    if (!field.name) continue;
    const v = field.value.trim();
    if (v === '') continue;
    if (field.name === 'address') {
      const lines = v.split('\n').map(s => s.trim()).filter(Boolean);
      if (lines.length) p.address = lines;
    } else if (NUMBER_KEYS.includes(field.name)) {
      p[field.name] = Number(v);
    } else if (field.name === 'insured') {
      p.insured = v === 'yes';
    } else if (field.name === 'state') {
      p.state = v.toUpperCase();
    } else {
      p[field.name] = v;
    }
  }
  return p;
}
function fillForm(p) {
  for (const field of form.elements) {
    if (!field.name) continue;
    const v = p[field.name];
    if (v === undefined) field.value = field.name === 'language' ? 'en' : '';
    else if (field.name === 'address') field.value = v.join('\n');
    else if (field.name === 'insured') field.value = v ? 'yes' : 'no';
    else field.value = v;
  }
}
function storedProfile() {
  try { return JSON.parse(localStorage.getItem(PROFILE_KEY) || '{}'); } catch { return {}; }
}
function showProfileState() {
  const n = Object.keys(storedProfile()).length;
  document.getElementById('profile-state').textContent = n ? `(${n} saved)` : '(none saved)';
}
form.addEventListener('submit', e => {
  e.preventDefault();
  localStorage.setItem(PROFILE_KEY, JSON.stringify(readForm()));
  showProfileState();
});
document.getElementById('profile-forget').addEventListener('click', () => {
  localStorage.removeItem(PROFILE_KEY);
  fillForm({});
  showProfileState();
});
fillForm(storedProfile());
showProfileState();

// ---- requests ---------------------------------------------------------------------
// POSTs a multipart form with upload progress; resolves {status, headers, body(Blob)}.
function post(url, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.responseType = 'blob';
    xhr.upload.onprogress = e => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
    xhr.onload = () => resolve({ status: xhr.status, header: n => xhr.getResponseHeader(n), body: xhr.response });
    xhr.onerror = () => reject(new Error('the billwise server did not answer'));
    xhr.send(formData);
  });
}
async function errorText(res) {
  try { return JSON.parse(await res.body.text()).error.message; } catch { return `HTTP ${res.status}`; }
}
function requestForm(file, extra) {
  const fd = new FormData();
  fd.append('file', file, file.name);
  const profile = storedProfile();
  if (Object.keys(profile).length) fd.append('profile', JSON.stringify(profile));
  for (const [k, v] of Object.entries(extra || {})) fd.append(k, v);
  return fd;
}
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// ---- report -----------------------------------------------------------------------
function chart(bill) {
  const bars = [];
  for (const p of bill.pricing) {
    const item = bill.line_items[p.line];
    if (!item || item.charge === null || p.reference === null) continue;
    bars.push({ label: (item.code || item.revenue_code || `line ${p.line}`) + ' ' + item.description,
                billed: item.charge, reference: p.reference });
  }
  if (!bars.length) return null;
  const max = Math.max(1, ...bars.flatMap(b => [b.billed, b.reference]));
  const labelW = 220, barW = 460, valueW = 110, row = 34, bar = 12;
  const root = svg('svg', { class: 'chart', width: labelW + barW + valueW, height: bars.length * row + 8,
                            role: 'img', 'aria-label': 'Charge against reference price' });
  bars.forEach((b, i) => {
    const y = i * row + 4;
    const len = v => (v <= 0 ? 0 : Math.max(1, Math.round(v / max * barW)));
    const label = b.label.length > 34 ? b.label.slice(0, 33) + '~' : b.label;
    root.append(svg('text', { x: 0, y: y + 17 }, label),
                svg('rect', { x: labelW, y, width: len(b.billed), height: bar, fill: '#c0504d' },
                    svg('title', {}, 'billed ' + money(b.billed))),
                svg('rect', { x: labelW, y: y + bar + 2, width: len(b.reference), height: bar, fill: '#2e7d32' },
                    svg('title', {}, 'reference ' + money(b.reference))),
                svg('text', { x: labelW + barW + 6, y: y + 10 }, money(b.billed)),
                svg('text', { x: labelW + barW + 6, y: y + bar + 12 }, money(b.reference)));
  });
  return root;
}

function renderReport(card, file, bill, kinds) {
  const report = card.querySelector('.report');
  report.replaceChildren();
  const type = (bill.document_type || 'unknown').replace(/_/g, ' ');
  report.append(el('p', { class: 'muted' }, `${bill.provider.name || 'Unknown provider'} · ${type} · ` +
                   `${bill.source.pages} page${bill.source.pages === 1 ? '' : 's'} (${bill.source.text_origin})`));
  const facts = el('div', { class: 'facts' },
    el('div', {}, el('span', {}, 'Amount due'), el('span', { class: 'amount amount-due' }, money(bill.amount_due))),
    el('div', {}, el('span', {}, 'Total charges'), el('span', {}, money(bill.totals.charges))),
    el('div', {}, el('span', {}, 'Due date'), el('span', {}, bill.due_date || '—')),
    el('div', {}, el('span', {}, 'Account'), el('span', {}, bill.account_number || '—')));
  report.append(facts);

  const priced = new Map(bill.pricing.map(p => [p.line, p]));
  if (bill.line_items.length) {
    const body = el('tbody');
    bill.line_items.forEach((li, i) => {
      const p = priced.get(i);
      const ratio = p && p.ratio !== null ? el('span', { class: p.ratio >= 3 ? 'high' : '' }, p.ratio.toFixed(2) + '×') : '—';
      const code = [li.code || li.revenue_code || '', ...(li.modifiers || [])].filter(Boolean).join('-');
      body.append(el('tr', {}, el('td', { class: 'num' }, i), el('td', {}, li.date_of_service || '—'),
        el('td', {}, code), el('td', {}, li.description), el('td', { class: 'num' }, li.quantity),
        el('td', { class: 'num' }, money(li.charge)), el('td', { class: 'num' }, p ? money(p.reference) : '—'),
        el('td', { class: 'num' }, ratio), el('td', { class: 'muted' }, p ? p.basis : '')));
    });
    report.append(el('h3', {}, 'Line items'), el('div', { class: 'scroll' }, el('table', { class: 'items' },
      el('thead', {}, el('tr', {}, el('th', { class: 'num' }, '#'), el('th', {}, 'Date'), el('th', {}, 'Code'),
        el('th', {}, 'Description'), el('th', { class: 'num' }, 'Qty'), el('th', { class: 'num' }, 'Charge'),
        el('th', { class: 'num' }, 'Reference'), el('th', { class: 'num' }, 'Ratio'), el('th', {}, 'Basis'))), body)));
  }
  const picture = chart(bill);
  if (picture) {
    report.append(el('h3', {}, 'Charge against reference price'),
      el('p', { class: 'legend' }, el('span', {}, el('i', { class: 'swatch billed' }), 'billed'),
        el('span', {}, el('i', { class: 'swatch reference' }), 'reference')), el('div', { class: 'scroll' }, picture));
  }

  report.append(el('h3', {}, 'Findings'));
  if (!bill.findings.length) report.append(el('p', { class: 'muted' }, 'No problems found.'));
  for (const f of bill.findings) {
    const lines = f.lines && f.lines.length ? ` · lines ${f.lines.join(', ')}` : '';
    report.append(el('div', { class: `finding ${f.severity}` },
      el('p', {}, el('span', { class: `sev-${f.severity}` }, f.severity), ' ', el('span', { class: 'kind' }, f.kind),
        `${lines} · ${money(f.amount_at_stake)} at stake`),
      el('p', {}, f.explanation), el('p', { class: 'rule' }, f.rule)));
  }

  report.append(el('h3', {}, 'Plan'));
  if (!bill.plan) {
    report.append(el('p', { class: 'muted' }, 'Fill in your details above and drop the bill again for a ' +
                  'negotiation plan (offer, payment plan, assistance screening, deadlines).'));
  } else {
    const p = bill.plan;
    const rows = [['Reference total', money(p.reference_total)]];
    if (p.lump_sum_offer) rows.push(['Lump-sum offer', `${money(p.lump_sum_offer.amount)} (${p.lump_sum_offer.basis})`]);
    if (p.payment_plan) rows.push(['Payment plan', `${money(p.payment_plan.monthly)} a month for ${p.payment_plan.months} months`]);
    if (p.assistance) rows.push(['Financial assistance', `${p.assistance.poverty_percent}% of the poverty guideline: ${p.assistance.typical_band}`]);
    for (const d of p.deadlines || []) rows.push([d.what, d.date]);
    report.append(el('table', { class: 'plan' }, el('tbody', {}, ...rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))))));
  }

  report.append(el('h3', {}, 'Letters'));
  if (!kinds.length) {
    report.append(el('p', { class: 'muted' }, 'No letter applies to this document.'));
    return;
  }
  const box = el('div', { class: 'letters' });
  const lang = storedProfile().language || 'en';
  for (const kind of kinds) {
    const b = el('button', { type: 'button', 'data-kind': kind }, `${kind.replace(/-/g, ' ')} letter (PDF)`);
    b.addEventListener('click', () => fetchLetters(card, file, kind, lang, `letter-${kind}.pdf`));
    box.append(b);
  }
  if (kinds.length > 1) {
    const all = el('button', { type: 'button', class: 'primary', 'data-kind': 'all' }, 'All letters (ZIP)');
    all.addEventListener('click', () => fetchLetters(card, file, kinds.join(','), lang, 'billwise-letters.zip'));
    box.append(all);
  }
  report.append(box);
}

async function fetchLetters(card, file, kinds, lang, name) {
  const status = card.querySelector('.status');
  status.textContent = 'Writing letters…';
  try {
    const res = await post('/api/letters', requestForm(file, { kinds, lang }));
    if (res.status !== 200) { status.textContent = 'Letters failed: ' + await errorText(res); return; }
    download(res.body, name);
    status.textContent = 'Letters downloaded';
  } catch (e) {
    status.textContent = e.message;
  }
}

async function analyze(file) {
  const card = document.getElementById('card').content.firstElementChild.cloneNode(true);
  card.querySelector('.file-name').textContent = file.name;
  const status = card.querySelector('.status');
  const bar = card.querySelector('progress');
  document.getElementById('results').prepend(card);
  status.textContent = 'Uploading…';
  try {
    const res = await post('/api/analyze', requestForm(file), f => {
      bar.value = Math.round(f * 50);
      if (f >= 1) { status.textContent = 'Reading the bill…'; bar.removeAttribute('value'); }
    });
    if (res.status !== 200) throw new Error(await errorText(res));
    const bill = JSON.parse(await res.body.text());
    const kinds = (res.header('X-Billwise-Letters') || '').split(',').filter(Boolean);
    card.classList.add('done');
    status.textContent = `${bill.findings.length} finding${bill.findings.length === 1 ? '' : 's'}`;
    renderReport(card, file, bill, kinds);
  } catch (e) {
    card.classList.add('done', 'failed');
    status.textContent = e.message;
  }
}

// ---- drop zone --------------------------------------------------------------------
const drop = document.getElementById('drop');
function take(files) { for (const f of files) analyze(f); }
drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', e => {
  e.preventDefault();
  drop.classList.remove('over');
  take(e.dataTransfer.files);
});
document.addEventListener('dragover', e => e.preventDefault());
document.addEventListener('drop', e => e.preventDefault());
document.getElementById('file-input').addEventListener('change', e => { take(e.target.files); e.target.value = ''; });
