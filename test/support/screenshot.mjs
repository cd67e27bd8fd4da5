#!/usr/bin/env node
// Screenshots of built pages, to look at them as a reader would:
//   node test/support/screenshot.mjs [--dist dist] [--out test-results/screenshots] /problems/hw1/q1/ ...
// Serves the built site with `astro preview` on 127.0.0.1 and drives Debian's Chromium.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium, startPreview } from './browser.mjs';

const { values, positionals } = parseArgs({
  options: { dist: { type: 'string', default: 'dist' }, out: { type: 'string', default: 'test-results/screenshots' }, port: { type: 'string' } },
  allowPositionals: true,
});
const paths = positionals.length ? positionals : ['/'];
mkdirSync(values.out, { recursive: true });

const server = await startPreview({ outDir: values.dist, ...(values.port ? { port: Number(values.port) } : {}) });
const browser = await launchChromium();
try {
  for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
    const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
    for (const path of paths) {
      await page.goto(server.url + path, { waitUntil: 'networkidle' });
      const file = join(values.out, `${path.replace(/^\/|\/$/g, '').replace(/\//g, '_') || 'index'}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
