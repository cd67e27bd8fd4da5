/**
 * The analyzer page (/analyze/) in Chromium, against the built site: an ONNX export from
 * shared/onnx/ (vendored in test/fixtures/onnx/pytorch/) dropped on the page gives PyTorch's counts; a zoo model and pasted JSON give the
 * engine's totals; errors are located; the script loads on this page only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPreview } from '../support/browser.mjs';
import { buildSite, ROOT, type BuiltSite } from '../helpers/site.ts';
import { sharedOnnxDir } from '../helpers/onnx.ts';
import { analyze, costSummary, hardwareProfile, rooflineChartData } from '../../src/engine/index.ts';
import { importOnnx } from '../../src/engine/onnx/index.ts';

let site: BuiltSite;
let preview: { url: string; stop: () => Promise<unknown> };
let browser: Browser;
let page: Page;
const SHOTS = join(ROOT, 'test-results/screenshots');
const expected = JSON.parse(readFileSync(join(sharedOnnxDir(), 'expected.json'), 'utf8')) as Record<string, { torch_params: number; torch_macs: number; bn_running_stat_elements: number }>;

beforeAll(async () => {
  site = await buildSite();
  preview = await startPreview({ outDir: site.dir });
  browser = await launchChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await preview?.stop();
});

async function open() {
  await page.goto(preview.url + '/analyze/');
  await page.waitForSelector('[data-analyzer][data-ready="true"]');
}

/** Drops a file on the drop zone as a user's drag and drop does: a `drop` event carrying it. */
async function dropFile(name: string, bytes: Buffer) {
  await page.evaluate(
    ({ name, data }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name));
      const zone = document.getElementById('drop-zone')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { name, data: bytes.toString('base64') },
  );
}

const total = (key: string) => page.locator(`[data-total="${key}"]`).first().textContent();
const grouped = (n: number) => n.toLocaleString('en-US');

describe('the analyzer page', () => {
  it('a dropped ONNX export (ResNet-18, BatchNorm kept) shows PyTorch\'s parameters, buffers and MACs', async () => {
    await open();
    await dropFile('resnet18_bn.onnx', readFileSync(join(sharedOnnxDir(), 'resnet18_bn.onnx')));
    await page.waitForSelector('#analyzer-result:not([hidden])');
    const e = expected['resnet18_bn.onnx']!;
    expect(await total('params')).toBe(grouped(e.torch_params));
    expect(await total('buffers')).toBe(grouped(e.bn_running_stat_elements));
    expect(await total('macs')).toBe(grouped(e.torch_macs));
    expect(await page.locator('#result-title').textContent()).toBe('resnet18_bn');
    expect(await page.locator('.layer-table tbody tr').count()).toBe(69);
    await page.screenshot({ path: join(SHOTS, 'browser-analyze-resnet18.png'), fullPage: false });
  });

  it('batch and precision are applied: MACs scale with the batch, bytes with the bits', async () => {
    await page.locator('#opt-batch').fill('4');
    await page.locator('#opt-precision').selectOption('int8');
    await page.locator('#opt-batch').dispatchEvent('change');
    const e = expected['resnet18_bn.onnx']!;
    await expect.poll(() => total('macs')).toBe(grouped(4 * e.torch_macs));
    expect(await total('paramBytes')).toContain(grouped(e.torch_params));
  });

  it('a hardware profile adds the cost figures, or says which of its values are missing; a derivation opens typeset by KaTeX', async () => {
    await page.locator('#opt-hardware').selectOption('ryzen-9-5950x');
    await page.waitForSelector('#result-cost');
    // The profile has no int8 throughput: the page says so rather than print a number.
    expect(await page.locator('section[aria-labelledby="result-cost"]').textContent()).toMatch(/Not computed: latency.*peakOpsPerS\.int8/);
    await page.locator('#opt-precision').selectOption('fp32');
    await expect.poll(() => page.locator('section[aria-labelledby="result-cost"]').textContent()).toMatch(/Latency[\d.,]+ ms/);
    await page.locator('.totals-derivations details summary').first().click();
    await page.waitForSelector('.totals-derivations .katex');
  });

  it('the cost section draws the roofline: a point per layer that does work, as the engine places them, in a wide and a phone chart', async () => {
    // The same model, options and hardware, computed here by the engine.
    const model = importOnnx(readFileSync(join(sharedOnnxDir(), 'resnet18_bn.onnx')), { name: 'resnet18_bn', file: 'resnet18_bn.onnx' }).model;
    const cost = costSummary(analyze(model, { batch: 4, paramBits: 32 }), hardwareProfile('ryzen-9-5950x'));
    const data = rooflineChartData(cost.roofline!);
    const chart = page.locator('section[aria-labelledby="result-cost"] .roofline-chart');
    await chart.waitFor();
    const dots = (which: string) => chart.locator(`.${which} svg`).evaluate((svg) => [...svg.querySelectorAll('g[data-mark="dot"]')].map((g) => g.children.length));
    expect(await dots('chart-wide')).toEqual([data.points.length, 1]); // the layers, then the whole model's star
    expect(await dots('chart-narrow')).toEqual([data.points.length, 1]);
    expect(await chart.locator('.chart-wide svg').getAttribute('aria-label')).toBe(`Roofline of resnet18_bn on ${cost.hardwareName}`);
    const memoryBound = data.points.filter((p) => p.bound === 'memory').length;
    expect(await chart.locator('figcaption').textContent()).toContain(`memory-bound layer (${memoryBound})`);
    expect(await chart.locator('figcaption').textContent()).toContain(`compute-bound layer (${data.points.length - memoryBound})`);
    await chart.screenshot({ path: join(SHOTS, 'browser-analyze-roofline.png') });
  });

  it('a built-in model and pasted JSON: the engine\'s totals', async () => {
    await open();
    await page.locator('#model-zoo').selectOption('mobilenet-v3-small');
    await expect.poll(() => total('params')).toBe(grouped(2_542_856));
    await page.locator('#model-json').fill(JSON.stringify({ name: 'mlp', input: [784], layers: [{ type: 'Linear', out_features: 256 }, { type: 'ReLU' }, { type: 'Linear', out_features: 10 }] }));
    await page.locator('#analyzer-form button[type="submit"]').click();
    await expect.poll(() => total('params')).toBe(grouped(784 * 256 + 256 + 256 * 10 + 10));
  });

  it('errors are located, as the CLI says them, and shown as text', async () => {
    await open();
    await page.locator('#model-json').fill(JSON.stringify({ name: 'bad<b>', input: [3, 8, 8], layers: [{ type: 'Conv2d', name: 'conv1', out_channels: 4, kernel_size: 11 }] }));
    await page.locator('#analyzer-form button[type="submit"]').click();
    await page.waitForSelector('#analyzer-error:not([hidden])');
    expect(await page.locator('#analyzer-error').textContent()).toBe('pasted JSON: bad<b> > conv1: Conv2d: kernel 11 is larger than the padded input 8 in height');
    expect(await page.locator('#analyzer-error b').count()).toBe(0);
    await dropFile('notes.onnx', Buffer.from('not a model'));
    await expect.poll(() => page.locator('#analyzer-error').textContent()).toMatch(/^notes\.onnx: notes: not an ONNX model/);
  });

  it('a model brought is shown where the reader is: a pick from the list scrolls to its results (the focus stays on the list, whose arrow keys pick the next), Analyze moves the focus to them', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await open();
      const titleTop = () => page.evaluate(() => Math.round(document.getElementById('result-title')?.getBoundingClientRect().top ?? NaN) + 0); // + 0: never -0
      const focused = () => page.evaluate(() => document.activeElement?.id);
      // On a phone the results start more than a screen below the form.
      expect(await page.evaluate(() => document.getElementById('analyzer-status')!.getBoundingClientRect().top)).toBeGreaterThan(844);
      await page.locator('#model-zoo').focus();
      await page.locator('#model-zoo').selectOption('lenet5');
      await expect.poll(titleTop).toBe(0);
      expect(await focused()).toBe('model-zoo');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.locator('#model-json').fill(JSON.stringify({ name: 'mlp', input: [784], layers: [{ type: 'Linear', out_features: 10 }] }));
      await page.locator('#analyzer-form button[type="submit"]').click();
      await expect.poll(focused).toBe('result-title');
      expect(await titleTop()).toBe(0);
      // A changed option recomputes in place: the reader stays at the option.
      await page.locator('#opt-batch').fill('2'); // scrolls the field into view
      const before = await page.evaluate(() => scrollY);
      await page.locator('#opt-batch').dispatchEvent('change');
      await expect.poll(() => total('macs')).toBe(grouped(2 * 784 * 10));
      expect(await page.evaluate(() => scrollY)).toBe(before);
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  });

  it('its script loads on this page only', () => {
    const script = (html: string) => [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    const analyzer = script(site.page('/analyze/'));
    expect(analyzer.length).toBeGreaterThan(0);
    for (const other of ['/', '/models/resnet18/', '/problems/hw1/q1/']) {
      for (const src of script(site.page(other))) expect(analyzer).not.toContain(src);
    }
  });
});
