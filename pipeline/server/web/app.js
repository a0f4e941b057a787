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

// ---- next steps, finding order, plain words -----------------------------------------
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
                'November', 'December'];
function longDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  return m ? `${MONTHS[Number(m[2]) - 1]} ${Number(m[3])}, ${m[1]}` : (iso || '—');
}
function daysLeft(n) {
  if (n === 0) return 'today';
  if (n > 0) return `${n} day${n === 1 ? '' : 's'} left`;
  return `passed ${-n} day${n === -1 ? '' : 's'} ago`;
}
function isPriceNote(f) { return f.kind.includes('price'); }
// Errors, then other warnings, then price notes, then information (as the reports order them).
function findingsInOrder(findings) {
  const group = f => (f.severity === 'info' ? 3 : isPriceNote(f) ? 2 : f.severity === 'error' ? 0 : 1);
  return findings.map((f, i) => [group(f), i, f]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(x => x[2]);
}
function nextSteps(bill) {
  const box = el('section', { class: 'next-steps' }, el('h3', {}, 'What to do next'));
  const steps = bill.plan && bill.plan.next_steps ? bill.plan.next_steps : [];
  if (!steps.length) {
    box.append(el('p', { class: 'muted' }, 'Fill in your details above and drop the bill again for a ' +
                  'step-by-step plan with dates.'));
    return box;
  }
  const list = el('ol', { class: 'steps' });
  for (const st of steps) {
    const when = st.by ? el('span', {}, 'By ', el('strong', {}, longDate(st.by)),
      st.days_left !== null && st.days_left !== undefined ? ` (${daysLeft(st.days_left)}). ` : '. ') : null;
    const letter = st.letter ? el('span', {}, 'Letter: ', el('code', {}, st.letter), '. ') : null;
    const item = el('li', {}, el('p', {}, el('strong', {}, st.what)), el('p', {}, when, letter, `How: ${st.how}.`),
      el('p', { class: 'muted' }, st.why));
    if (st.hold_back && st.hold_back.length) {
      item.append(el('p', { class: 'hold' }, 'Hold back:'), el('ul', { class: 'hold' },
        ...st.hold_back.map(h => el('li', {}, h))));
    }
    list.append(item);
  }
  box.append(list);
  return box;
}
// The same plain-words list as the reports (pipeline/report/plain_terms.cc).
const PLAIN_TERMS = [
  ['Medicare reference', ['medicare', 'reference'], 'What Medicare pays for the same service in your area, from its public price lists. It is a yardstick for a fair price, not what you owe.'],
  ['Ratio', ['ratio', '×'], 'The charge divided by the Medicare reference: 3.00× means three times what Medicare pays for the service.'],
  ['PFS, OPPS, CLFS', ['pfs', 'opps', 'clfs'], "Medicare's price lists: PFS for doctors' services, OPPS for hospital outpatient care, CLFS for lab tests."],
  ['NCCI', ['ncci', 'bundl'], "National Correct Coding Initiative: Medicare's public list of code pairs that should not be billed together on the same day, because one service is part of the other."],
  ['MUE', ['mue', 'units'], "Medically Unlikely Edit: Medicare's public limit on how many units of a service are normally billed for one patient on one day."],
  ['Packaged (bundled)', ['packag', 'bundl', 'included in'], 'A service whose price is already included in another service billed the same day, so it should not be charged on its own.'],
  ['EOB', ['eob', 'explanation of benefits'], "Explanation of benefits: your insurer's statement of what it paid and what you may owe. It is not a bill."],
  ['Patient responsibility', ['patient responsibility', 'patient share'], 'The part of a claim the insurer says you pay: deductible, coinsurance and copay. An in-network provider may not bill you more.'],
  ['501(r)', ['501(r)', 'financial assistance', 'financial-assistance', 'charity care'], 'The federal rules for nonprofit hospitals: they must offer financial assistance (free or discounted care), give you at least 240 days after the first bill to apply, and pause collection while you apply.'],
  ['Debt validation', ['validat'], "When you dispute a debt in writing within the validation period (about 30 days after the collector's first notice), the collector must prove the debt is yours and the amount is right before collecting more."],
  ['Certified mail', ['certified'], 'A Post Office service that gives you a dated receipt and, with a return receipt, proof of delivery.'],
  ['Good-faith estimate', ['good-faith', 'good faith', 'no surprises'], 'The written price estimate providers must give uninsured and self-pay patients before care. A bill $400 or more above it can be disputed under the No Surprises Act.'],
  ['Internal appeal', ['appeal'], 'A written request that your health plan review a denied or wrongly processed claim; you have at least 180 days from the EOB.'],
];
function termsUsed(text) {
  const lower = text.toLowerCase();
  const wordStart = key => {
    for (let p = lower.indexOf(key); p !== -1; p = lower.indexOf(key, p + 1)) {
      if (p === 0 || !/[a-z0-9]/.test(lower[p - 1])) return true;
    }
    return false;
  };
  return PLAIN_TERMS.filter(([, keys]) => keys.some(wordStart)).map(([t, , meaning]) => [t, meaning]);
}

// ---- report -----------------------------------------------------------------------
function chart(bill) {
  const bars = [];
  for (const p of bill.pricing) {
    const item = bill.line_items[p.line];
    if (!item || item.charge === null || p.reference === null) continue;
    bars.push({ label: (item.code || item.revenue_code || `line ${p.line + 1}`) + ' ' + item.description,
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

  report.append(nextSteps(bill));
  report.append(el('h3', {}, 'Findings'));
  if (!bill.findings.length) report.append(el('p', { class: 'muted' }, 'No problems found.'));
  for (const f of findingsInOrder(bill.findings)) {
    const n = f.lines && f.lines.length ? f.lines.map(l => l + 1) : [];
    const lines = n.length ? ` · line${n.length === 1 ? '' : 's'} ${n.join(', ')}` : '';
    const label = isPriceNote(f) ? 'price note' : f.severity;
    report.append(el('div', { class: `finding ${f.severity}` },
      el('p', {}, el('span', { class: `sev-${f.severity}` }, label), ' ', el('span', { class: 'kind' }, f.kind),
        `${lines} · ${money(f.amount_at_stake)} at stake`),
      el('p', {}, f.explanation), el('p', { class: 'rule' }, f.rule)));
  }
  const priced = new Map(bill.pricing.map(p => [p.line, p]));
  if (bill.line_items.length) {
    const body = el('tbody');
    bill.line_items.forEach((li, i) => {
      const p = priced.get(i);
      const ratio = p && p.ratio !== null ? el('span', { class: p.ratio >= 3 ? 'high' : '' }, p.ratio.toFixed(2) + '×') : '—';
      const code = [li.code || li.revenue_code || '', ...(li.modifiers || [])].filter(Boolean).join('-');
      body.append(el('tr', {}, el('td', { class: 'num' }, i + 1), el('td', {}, li.date_of_service || '—'),
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

  report.append(el('h3', {}, 'Numbers for the letters'));
  if (!bill.plan) {
    report.append(el('p', { class: 'muted' }, 'Fill in your details above and drop the bill again for a ' +
                  'negotiation plan (offer, payment plan, assistance screening, deadlines).'));
  } else {
    const p = bill.plan;
    const rows = [['Reference total', money(p.reference_total)]];
    if (p.lump_sum_offer) rows.push(['Lump-sum offer', `${money(p.lump_sum_offer.amount)} (${p.lump_sum_offer.basis})`]);
    if (p.payment_plan) rows.push(['Payment plan', `${money(p.payment_plan.monthly)} a month for ${p.payment_plan.months} months`]);
    if (p.assistance) rows.push(['Financial assistance', `${p.assistance.poverty_percent}% of the poverty guideline: ${p.assistance.typical_band}`]);
    for (const d of p.deadlines || []) rows.push([d.what, longDate(d.date)]);
    report.append(el('table', { class: 'plan' }, el('tbody', {}, ...rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))))));
  }

  const terms = termsUsed(report.textContent);
  if (terms.length) {
    report.append(el('h3', {}, 'Words used here'), el('dl', { class: 'terms' },
      ...terms.flatMap(([t, meaning]) => [el('dt', {}, t), el('dd', {}, meaning)])));
  }
  for (const d of bill.diagnostics || []) {
    if (d.stage === 'profile') report.prepend(el('p', { class: 'warning-note' }, 'Check: ' + d.message));
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
    loadCases();
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

// ---- before treatment: estimate and good-faith-estimate request -------------------
const SETTING_NAMES = { office: 'Office', hospital_outpatient: 'Hospital outpatient', lab: 'Independent lab',
                        asc: 'Ambulatory surgery center' };
function settingName(s) { return SETTING_NAMES[s] || String(s).replace(/_/g, ' '); }
function postJson(url, body) {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}
async function fetchErrorText(res) {
  try { return (await res.json()).error.message; } catch { return `HTTP ${res.status}`; }
}

const estimateForm = document.getElementById('estimate-form');
const estimateStatus = document.getElementById('estimate-status');
const gfeButton = document.getElementById('gfe-download');
let lastQuery = null;

function estimateQuery() {
  const f = estimateForm.elements;
  const q = { codes: f.codes.value.split(/[\s,;]+/).filter(Boolean) };
  const zip = f.zip.value.trim();
  const state = f.state.value.trim().toUpperCase();
  if (zip) q.zip = zip; else if (state) q.state = state;
  return q;
}

function renderRange(r) { return r ? `${money(r.low)} – ${money(r.high)}` : '—'; }

function renderEstimate(est) {
  const out = document.getElementById('estimate-result');
  out.replaceChildren();
  out.append(el('p', { class: 'muted' }, `Medicare ${est.year} reference prices for ${est.locality.label}.`));
  for (const s of est.services) {
    const code = [s.code, ...(s.modifiers || [])].join('-') + (s.quantity !== 1 ? ` ×${s.quantity}` : '');
    const card = el('article', { class: 'card service', 'data-code': s.code },
      el('header', {}, el('h3', {}, code), el('span', { class: 'muted' }, s.descriptor || '')));
    if (s.settings.length) {
      const body = el('tbody');
      for (const p of s.settings) {
        const cheapest = p.setting === s.cheapest_setting;
        body.append(el('tr', { class: cheapest ? 'cheapest' : '', 'data-setting': p.setting },
          el('td', {}, settingName(p.setting), cheapest ? el('span', { class: 'tag' }, 'cheapest') : null),
          el('td', { class: 'num setting-amount' }, money(p.amount)), el('td', { class: 'muted' }, p.basis)));
      }
      card.append(el('div', { class: 'scroll' }, el('table', { class: 'settings' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Setting'), el('th', { class: 'num' }, 'Medicare amount'),
          el('th', {}, 'Basis'))), body)));
    } else {
      card.append(el('p', { class: 'muted' }, 'No fee schedule prices this code.'));
    }
    const facts = el('div', { class: 'facts' });
    if (s.cheapest_setting) {
      facts.append(el('div', {}, el('span', {}, 'Cheapest setting'), el('span', { class: 'cheapest-setting' },
        settingName(s.cheapest_setting))));
    }
    if (s.saving) {
      facts.append(el('div', {}, el('span', {}, `Saving versus ${settingName(s.saving.versus).toLowerCase()}`),
        el('span', { class: 'saving' }, money(s.saving.amount))));
    }
    if (s.fair_range) {
      facts.append(el('div', {}, el('span', {}, 'Fair price'), el('span', { class: 'fair-range' }, renderRange(s.fair_range))));
    }
    if (facts.childElementCount) card.append(facts);
    if (s.fair_range) card.append(el('p', { class: 'rule' }, s.fair_range.basis));
    const h = s.hospital_prices;
    if (h) {
      const span = (lo, hi) => (lo === null && hi === null ? '—' : lo === hi ? money(lo) : `${money(lo)} – ${money(hi)}`);
      card.append(el('p', {}, `${h.hospital || 'The hospital'}: gross charge ${span(h.gross_min, h.gross_max)}, ` +
        `cash price ${span(h.cash_min, h.cash_max)}`), el('p', { class: 'rule' }, h.source));
    }
    if (s.notes && s.notes.length) card.append(el('ul', { class: 'notes muted' }, ...s.notes.map(n => el('li', {}, n))));
    out.append(card);
  }
  if (est.total_fair_range && est.services.length > 1) {
    out.append(el('p', {}, el('strong', {}, 'All services, fair price: '), renderRange(est.total_fair_range)),
               el('p', { class: 'rule' }, est.total_fair_range.basis));
  }
  out.append(el('h3', {}, 'Questions to ask'));
  if (!est.alternatives.length) {
    out.append(el('p', { class: 'muted' }, 'No cheaper alternative found in the reference data.'));
  } else {
    out.append(el('ul', { class: 'questions' }, ...est.alternatives.map(a => el('li', {},
      el('span', {}, a.question), a.saving !== null ? el('span', { class: 'muted' }, ` (saves about ${money(a.saving)})`) : null,
      el('span', { class: 'rule' }, ` Source: ${a.source}`)))));
  }
  out.append(el('p', { class: 'muted' }, 'These are questions for your clinician, not medical advice. ' +
    'Data: ' + (est.data_versions || []).join('; ')));
}

estimateForm.addEventListener('submit', async e => {
  e.preventDefault();
  const q = estimateQuery();
  if (!q.codes.length) return;
  estimateStatus.textContent = 'Pricing…';
  gfeButton.disabled = true;
  try {
    const res = await postJson('/api/estimate', q);
    if (!res.ok) throw new Error(await fetchErrorText(res));
    renderEstimate(await res.json());
    lastQuery = q;
    gfeButton.disabled = false;
    estimateStatus.textContent = '';
  } catch (err) {
    estimateStatus.textContent = 'Estimate failed: ' + err.message;
  }
});

gfeButton.addEventListener('click', async () => {
  if (!lastQuery) return;
  const profile = storedProfile();
  const body = Object.assign({}, lastQuery, { profile, lang: profile.language || 'en' });
  const provider = estimateForm.elements.provider.value.trim();
  if (provider) body.provider = provider;
  estimateStatus.textContent = 'Writing the request…';
  try {
    const res = await postJson('/api/gfe-request', body);
    if (!res.ok) throw new Error(await fetchErrorText(res));
    download(await res.blob(), 'letter-gfe-request.pdf');
    estimateStatus.textContent = 'Request downloaded';
  } catch (err) {
    estimateStatus.textContent = 'Letter failed: ' + err.message;
  }
});

// ---- my cases and deadlines -------------------------------------------------------
const casesSection = document.getElementById('cases');
const casesStatus = document.getElementById('cases-status');
let casesKept = false;

function renderCases(cases, deadlines) {
  const list = document.getElementById('cases-list');
  const names = new Map(cases.map(c => [c.id, c.provider || `case ${c.id}`]));
  if (!cases.length) {
    list.replaceChildren(el('p', { class: 'muted' }, 'No case yet: drop a bill above.'));
  } else {
    const body = el('tbody');
    for (const c of cases) {
      const next = c.next_deadline ? `${longDate(c.next_deadline.date)} · ${c.next_deadline.what}` : '—';
      body.append(el('tr', { 'data-case': c.id }, el('td', { class: 'num' }, c.id), el('td', {}, c.provider || '—'),
        el('td', {}, c.account_number || '—'), el('td', {}, el('span', { class: `status-tag st-${c.status.replace(/[\s_]+/g, '-')}` }, c.status)),
        el('td', { class: 'num case-balance' }, money(c.balance)), el('td', {}, c.documents.length), el('td', {}, next)));
    }
    list.replaceChildren(el('div', { class: 'scroll' }, el('table', { class: 'cases' },
      el('thead', {}, el('tr', {}, el('th', { class: 'num' }, 'Case'), el('th', {}, 'Provider'), el('th', {}, 'Account'),
        el('th', {}, 'Status'), el('th', { class: 'num' }, 'Balance'), el('th', {}, 'Documents'),
        el('th', {}, 'Next deadline'))), body)));
  }
  for (const c of cases) list.append(caseActivity(c));
  const due = document.getElementById('due-list');
  if (!deadlines.length) {
    due.replaceChildren(el('p', { class: 'muted' }, 'No open deadline.'));
  } else {
    due.replaceChildren(el('ul', { class: 'deadlines' }, ...deadlines.map(d => el('li', {},
      el('strong', {}, longDate(d.date)), ` · ${names.get(d.case) || `case ${d.case}`} · ${d.what}`))));
  }
}

// Letters written (with a form to mark each as sent) and calls logged (with their follow-up
// dates, and a form to log a call) of one case.
function caseActivity(c) {
  const box = el('details', { class: 'case-activity', 'data-case': c.id },
    el('summary', {}, `Case ${c.id}: letters and calls`));
  const letters = c.letters || [];
  if (!letters.length) {
    box.append(el('p', { class: 'muted' }, 'No letter written yet.'));
  } else {
    const body = el('tbody');
    for (const l of letters) {
      const sent = l.sent ? `${longDate(l.sent)} by ${l.method || 'mail'}${l.tracking ? `, tracking ${l.tracking}` : ''}`
                          : null;
      const row = el('tr', { 'data-letter': l.id }, el('td', {}, l.kind), el('td', {}, longDate(l.written)),
        el('td', {}, l.recipient || '—'), el('td', { class: 'letter-sent' }, sent || 'not sent'));
      if (!l.sent) row.append(el('td', {}, sentForm(c.id, l.id)));
      else row.append(el('td', {}));
      body.append(row);
    }
    box.append(el('h4', {}, 'Letters written'), el('div', { class: 'scroll' }, el('table', { class: 'letters-written' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Letter'), el('th', {}, 'Written'), el('th', {}, 'To'),
        el('th', {}, 'Sent'), el('th', {}, ''))), body)));
  }
  const calls = c.calls || [];
  box.append(el('h4', {}, 'Calls'));
  if (!calls.length) box.append(el('p', { class: 'muted' }, 'No call logged yet.'));
  else {
    box.append(el('ul', { class: 'calls' }, ...calls.map(k => el('li', {},
      el('strong', {}, longDate(k.date)), ` · ${k.with}${k.reference ? ` (reference ${k.reference})` : ''}: ${k.note}`,
      k.follow_up ? el('span', { class: 'follow-up' }, ` · follow up by ${longDate(k.follow_up)}`) : null))));
  }
  box.append(callForm(c.id));
  return box;
}

function sentForm(caseId, letterId) {
  const f = el('form', { class: 'inline sent-form' },
    el('select', { name: 'method', 'aria-label': 'How it was sent' }, el('option', { value: 'certified' }, 'certified mail'),
      el('option', { value: 'mail' }, 'mail'), el('option', { value: 'fax' }, 'fax'), el('option', { value: 'portal' }, 'portal')),
    el('input', { name: 'tracking', placeholder: 'tracking number', maxlength: '100', 'aria-label': 'Tracking number' }),
    el('input', { name: 'date', type: 'date', 'aria-label': 'Date sent' }),
    el('button', { type: 'submit' }, 'Mark sent'));
  f.addEventListener('submit', async e => {
    e.preventDefault();
    const body = { case: caseId, letter: letterId, method: f.elements.method.value };
    if (f.elements.tracking.value.trim()) body.tracking = f.elements.tracking.value.trim();
    if (f.elements.date.value) body.date = f.elements.date.value;
    await sendCaseWrite('/api/sent', body);
  });
  return f;
}

function callForm(caseId) {
  const f = el('form', { class: 'call-form' },
    el('div', { class: 'grid' },
      el('label', {}, 'Date', el('input', { name: 'date', type: 'date' })),
      el('label', {}, 'Spoke with', el('input', { name: 'with', required: '', maxlength: '200' })),
      el('label', {}, 'Reference number', el('input', { name: 'reference', maxlength: '100' })),
      el('label', {}, 'Follow up by', el('input', { name: 'follow_up', type: 'date' })),
      el('label', { class: 'wide' }, 'What was said or promised', el('textarea', { name: 'note', rows: '2', required: '' }))),
    el('p', {}, el('button', { type: 'submit' }, 'Log the call'),
      el('span', { class: 'muted' }, ' The phone script: billwise script ' + caseId)));
  f.addEventListener('submit', async e => {
    e.preventDefault();
    const body = { case: caseId, with: f.elements.with.value.trim(), note: f.elements.note.value.trim() };
    for (const k of ['date', 'reference', 'follow_up']) if (f.elements[k].value.trim()) body[k] = f.elements[k].value.trim();
    await sendCaseWrite('/api/call', body);
  });
  return f;
}

async function sendCaseWrite(url, body) {
  casesStatus.textContent = 'Saving…';
  try {
    const res = await postJson(url, body);
    if (!res.ok) throw new Error(await fetchErrorText(res));
    casesStatus.textContent = 'Saved';
    await loadCases();
  } catch (err) {
    casesStatus.textContent = 'Not saved: ' + err.message;
  }
}

async function loadCases() {
  if (!casesKept) return;
  try {
    const [cr, dr] = await Promise.all([fetch('/api/cases'), fetch('/api/due')]);
    if (!cr.ok) throw new Error(await fetchErrorText(cr));
    if (!dr.ok) throw new Error(await fetchErrorText(dr));
    renderCases((await cr.json()).cases, (await dr.json()).deadlines);
    casesStatus.textContent = '';
  } catch (err) {
    casesStatus.textContent = 'Cases unavailable: ' + err.message;
  }
}
document.getElementById('cases-refresh').addEventListener('click', loadCases);

fetch('/api/health').then(r => r.json()).then(h => {
  casesKept = Boolean(h.cases);
  casesSection.hidden = !casesKept;
  if (!h.estimate) document.getElementById('estimate').hidden = true;
  loadCases();
}).catch(() => {});
