// Check every page of a kdx web edition in Debian's chromium: axe-core's WCAG
// 2.1 A and AA rules, every link, no page wider than a 390 px screen, and
// screenshots at 1280 and 390 px.  Prints one JSON object; exits 1 on any
// violation.
// Usage: node check.js WEB_DIR SHOT_DIR [PAGE...]   (PAGE: a page's path in
// WEB_DIR; every page when none is named)
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const webDir = path.resolve(process.argv[2]);
const shotDir = process.argv[3] ? path.resolve(process.argv[3]) : '';
const only = process.argv.slice(4).map((p) => path.resolve(webDir, p));
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function pages(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? pages(p) : e.name.endsWith('.html') ? [p] : [];
  }).sort();
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files', '--font-render-hinting=none'],
  });
  const result = { pages: 0, violations: [], brokenLinks: [], tooWide: [], links: 0, screenshots: [] };
  const page = await browser.newPage();
  const files = only.length ? only : pages(webDir);
  for (const file of files) {
    const rel = path.relative(webDir, file);
    for (const width of [1280, 390]) {
      await page.setViewport({ width, height: 900 });
      await page.goto('file://' + file, { waitUntil: 'load' });
      if (width === 1280) {
        await page.evaluate(axeSource);
        const axe = await page.evaluate(() => window.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
          resultTypes: ['violations'],
        }));
        for (const v of axe.violations) {
          result.violations.push({ page: rel, id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) });
        }
        const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
        const ids = new Set(await page.$$eval('[id]', (es) => es.map((e) => e.id)));
        for (const href of hrefs) {
          result.links++;
          if (/^[a-z]+:/i.test(href)) { result.brokenLinks.push({ page: rel, href, why: 'not a relative link' }); continue; }
          const [target, frag] = href.split('#');
          const dest = target ? path.resolve(path.dirname(file), target) : file;
          if (!dest.startsWith(webDir + path.sep) || !fs.existsSync(dest)) {
            result.brokenLinks.push({ page: rel, href, why: 'no such file' });
          } else if (frag && !target && !ids.has(frag)) {
            result.brokenLinks.push({ page: rel, href, why: 'no such id' });
          }
        }
      } else {
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        if (wide > width) result.tooWide.push({ page: rel, width: wide });
      }
      const shot = ['index.html', 'goal/procedures.html', 'goal/postpartum.html', 'muni/442011.html'].includes(rel.split(path.sep).join('/'));
      if (shot && shotDir) {
        const out = path.join(shotDir, `${rel.replace(/[\/.]/g, '_')}_${width}.png`);
        await page.screenshot({ path: out, fullPage: true });
        result.screenshots.push(out);
      }
    }
    result.pages++;
  }
  await browser.close();
  console.log(JSON.stringify(result, null, 1));
  process.exit(result.violations.length || result.brokenLinks.length || result.tooWide.length ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
