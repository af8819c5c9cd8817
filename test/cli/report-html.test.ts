// report.html in a real browser (headless Chromium): every chart renders bars and cells and its
// screenshot is not blank, the page logs no errors and fetches nothing (it must open offline).
// Chromium is part of the machine's setup (scripts/setup.sh): without it this test fails, it never skips.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../tb/paths.js';
import type { NetworkSummary } from '../../runtime/network.js';
import { pngColorCount } from '../support/png.js';
import { withTmp } from '../runtime/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
// Without the background-networking switches Chromium keeps calling home, which a closed network floods with retries.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const CHARTS = ['chart-cycles', 'chart-utilization', 'chart-energy', 'chart-offchip', 'chart-noc'];

describe('report.html in headless Chromium', () => {
  it('renders every chart, logs no errors and makes no network request', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; fix: apt-get install -y chromium (scripts/setup.sh installs it)`);
    await withTmp(async (dir) => {
      const network = path.join(repoRoot, 'examples', 'networks', 'mobile-block.json');
      const run = await execa(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'eyeriss.ts'), 'run', '--network', network, '--out', dir], {
        cwd: repoRoot,
        reject: false,
      });
      expect(run.exitCode, run.stderr).toBe(0);
      const summary = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8')) as NetworkSummary;
      const layers = summary.layer_results.map((r) => r.layer.name);
      const url = pathToFileURL(path.join(dir, 'report.html')).href;
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('request', (r) => {
          if (r.url() !== url) requests.push(r.url());
        });
        await page.goto(url, { waitUntil: 'load' });
        expect(await page.title()).toBe("mobile-block on 'paper', golden backend");
        for (const id of CHARTS) {
          const shape = await page.evaluate((chartId) => {
            const svg = document.querySelector<SVGSVGElement>(`#${chartId} svg`);
            if (svg === null) return null;
            const box = svg.getBBox();
            const drawn = [...svg.querySelectorAll<SVGGraphicsElement>('rect')].filter((r) => {
              const b = r.getBBox();
              return b.width > 0 && b.height > 0;
            });
            const labels = [...svg.querySelectorAll('text')].map((t) => t.textContent);
            return { width: box.width, height: box.height, rects: drawn.length, labels };
          }, id);
          expect(shape, id).not.toBeNull();
          expect(shape!.width * shape!.height, id).toBeGreaterThan(0);
          // At least one bar or cell per layer besides the legend's keys, and every layer named on the axis.
          expect(shape!.rects, id).toBeGreaterThan(layers.length);
          for (const l of layers) expect(shape!.labels, id).toContain(l);
          expect(shape!.labels, id).toContain('layer');
          const png = await page.locator(`#${id}`).screenshot();
          expect(pngColorCount(png), `${id}: distinct colours in its screenshot`).toBeGreaterThan(4);
        }
        const tables = await page.locator('table').count();
        expect(tables).toBe(2);
        expect(await page.locator('table').nth(1).locator('tbody tr').count()).toBe(layers.length);
        expect(errors).toEqual([]);
        expect(requests).toEqual([]);
        // The colour count tells blank from drawn: an empty white box is one colour.
        await page.setContent('<body style="margin:0;background:#fff"><div id="blank" style="width:60px;height:30px"></div></body>');
        expect(pngColorCount(await page.locator('#blank').screenshot())).toBe(1);
      } finally {
        await browser.close();
      }
    });
  }, 120_000);
});
