// Opens an HTML report in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) with scripts off and the network unreachable, and checks what a
// reader would see: one chart for every failing benchmark and drifting series of the
// JSON report, each drawn with as many marks as the report has samples and nights, no
// console error, no failed request; then takes a full-page screenshot.
//   node check-report.cjs NODE_MODULES REPORT.html REPORT.json SCREENSHOT.png
'use strict';
const path = require('path');
const fs = require('fs');
const [modules, htmlPath, jsonPath, shotPath] = process.argv.slice(2);
const { chromium } = require(path.join(modules, 'playwright-core'));

function fail(message) {
  console.error(`browser check: ${message}`);
  process.exit(1);
}

async function main() {
  const report = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  const expected = [];
  for (const gate of report.gates) {
    for (const check of gate.checks) {
      if (check.status !== 'fail' || !['perf', 'drift'].includes(gate.gate)) continue;
      const e = check.evidence || {};
      const label = `${gate.gate}/${gate.name}`;
      if (gate.gate === 'perf') {
        const leftOut = (e.baseline_left_out || []).length + (e.current_left_out || []).length;
        const kept = (e.baseline || []).length + (e.current || []).length - leftOut;
        expected.push({ label, id: check.id, kind: 'samples', filled: kept, hollow: leftOut });
      } else {
        const points = e.points || [];
        expected.push({ label, id: check.id, kind: 'trend', filled: points.length,
                        hollow: points.filter((p) => p.failed).length });
      }
    }
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60000,
  });
  const problems = [];
  try {
    const context = await browser.newContext({ javaScriptEnabled: false,
                                                viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('request', (r) => { if (!r.url().startsWith('file:')) problems.push(`request to ${r.url()}`); });
    await page.goto('file://' + path.resolve(htmlPath), { waitUntil: 'load', timeout: 30000 });
    const found = await page.$$eval('figure.chart', (figures) => figures.map((f) => {
      const article = f.closest('article');
      const svg = f.querySelector('svg');
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      const circles = svg ? Array.from(svg.querySelectorAll('circle')) : [];
      const hollow = circles.filter((c) => c.getAttribute('fill') === 'none').length;
      return { label: article.dataset.gate, id: article.dataset.check, kind: f.dataset.kind,
               filled: circles.length - hollow, hollow, width: box.width, height: box.height,
               caption: (f.querySelector('figcaption') || {}).innerText || '' };
    }));
    if (found.length !== expected.length) {
      problems.push(`${found.length} charts on the page, the report needs ${expected.length}`);
    }
    for (const want of expected) {
      const got = found.find((f) => f.label === want.label && f.id === want.id);
      if (!got) { problems.push(`no chart for ${want.label} ${want.id}`); continue; }
      for (const key of ['kind', 'filled', 'hollow']) {
        if (got[key] !== want[key]) problems.push(`${want.label} ${want.id}: ${key} ${got[key]}, want ${want[key]}`);
      }
      if (got.width < 200 || got.height < 100) problems.push(`${want.label} ${want.id}: drawn ${got.width}x${got.height}`);
      if (got.caption.trim().length < 20) problems.push(`${want.label} ${want.id}: no caption`);
    }
    const heading = await page.textContent('h1');
    if (!/ROLLBACK \(exit 1\)/.test(heading)) problems.push(`verdict heading: ${heading}`);
    fs.mkdirSync(path.dirname(shotPath), { recursive: true });
    await page.screenshot({ path: shotPath, fullPage: true });
    const marks = found.reduce((n, f) => n + f.filled + f.hollow, 0);
    if (problems.length) fail(problems.join('\n'));
    console.log(`browser check: ${found.length} charts (${expected.filter((e) => e.kind === 'samples').length} failing benchmarks, ` +
                `${expected.filter((e) => e.kind === 'trend').length} drifting series), ${marks} marks, ` +
                `no console error or request; screenshot ${shotPath}`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => fail(e.stack || String(e)));
