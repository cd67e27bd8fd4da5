/**
 * The bench's own code on synthetic inputs: budget evaluation, the summary line, sizes, reading
 * pages. The bench itself (`npm run bench`) is not part of `npm test`.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BUDGETS, evaluate, formatBudget, formatBytes, formatColumns, formatTable, formatValue, median, summaryLine, type Budget } from './budgets.ts';
import { bestOf, marginalCpuMs, marginalMs, type BuildRun } from './build.ts';
import { zooIdFor } from './engine.ts';
import { assetsOf, cssUrls, decodeEntities, extraFontFiles, fontFileOf, formulasOf, importsOf, pageTypeOf, sizeOf } from './pages.ts';
import { samplePages } from './weight.ts';
import { rosterCsv } from './roster.ts';
import { fuzzGrid, fuzzSuites } from './fuzz.ts';

const under: Budget = { id: 't.under', label: 'under 1 ms', op: '<', limit: 1, unit: 'ms' };
const atMost: Budget = { id: 't.at-most', label: 'at most 2x', op: '<=', limit: 2, unit: 'ratio' };
const atLeast: Budget = { id: 't.at-least', label: 'at least 20,000/s', op: '>=', limit: 20_000, unit: 'per-second' };

describe('budgets', () => {
  it('evaluates each comparison at and around its limit', () => {
    expect(evaluate(under, 0.99).status).toBe('pass');
    expect(evaluate(under, 1).status).toBe('fail');
    expect(evaluate(atMost, 2).status).toBe('pass');
    expect(evaluate(atMost, 2.01).status).toBe('fail');
    expect(evaluate(atLeast, 20_000).status).toBe('pass');
    expect(evaluate(atLeast, 19_999).status).toBe('fail');
  });

  it('marks a figure that could not be measured as n/a, with its reason', () => {
    const c = evaluate(under, undefined, 'no ResNet-50 in the zoo yet');
    expect(c).toMatchObject({ status: 'n/a', value: undefined, note: 'no ResNet-50 in the zoo yet' });
    expect(evaluate(under, NaN).status).toBe('n/a');
  });

  it('ends with `N passed, M failed`, counting neither the unmeasured', () => {
    const checks = [evaluate(under, 0.5), evaluate(atMost, 3), evaluate(atLeast, 30_000), evaluate(under, undefined)];
    expect(summaryLine(checks)).toBe('2 passed, 1 failed');
    expect(summaryLine([])).toBe('0 passed, 0 failed');
  });

  it('formats figures with their units, in decimal bytes', () => {
    expect(formatValue(0.4123, 'ms')).toBe('0.412 ms');
    expect(formatValue(1234.5, 'ms')).toBe('1,235 ms');
    expect(formatValue(24_310.2, 'per-second')).toBe('24,310/s');
    expect(formatValue(1.214, 'ratio')).toBe('1.21x');
    expect(formatValue(undefined, 'ms')).toBe('—');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(9_800)).toBe('9.8 KB');
    expect(formatBytes(1.5e9)).toBe('1.50 GB');
  });

  it('prints each budget beside its figure', () => {
    const table = formatTable([{ title: 'Engine', rows: [{ label: 'Analyze', figure: '0.400 ms', check: evaluate(under, 0.4) }] }]);
    expect(table).toContain('Engine');
    expect(table).toMatch(/Analyze\s+0\.400 ms\s+PASS\s+budget < 1 ms/);
    expect(formatColumns([['a', 'bb'], ['ccc', 'd']])).toEqual(['  a    bb', '  ccc   d']);
  });

  it('states the budgets of issues 8 and 18', () => {
    expect(evaluate(BUDGETS.buildMemory, 1e9).status).toBe('pass');
    expect(evaluate(BUDGETS.buildMemory, 1.001e9).status).toBe('fail');
    expect(formatBudget(BUDGETS.buildMemory)).toBe('≤ 1 GB');
    expect(formatBudget(BUDGETS.buildMemoryGrowth)).toBe('≤ 1.1x');
    expect(formatBudget(BUDGETS.practiceScript)).toBe('< 60 KB');
    expect(formatBudget(BUDGETS.buildRatio)).toBe('≤ 1.4x');
    expect(formatBudget(BUDGETS.perPageRatio)).toBe('≤ 1.25x');
    expect(formatBudget(BUDGETS.analyzeResnet50)).toBe('< 0.1 ms');
    expect(formatBudget(BUDGETS.hw1Rate)).toBe('≥ 100,000/s');
    expect(formatBudget(BUDGETS.rosterKeys)).toBe('< 5 s');
    expect(formatBudget(BUDGETS.llm70b)).toBe('< 1 ms');
    expect(formatBudget(BUDGETS.llmSweep)).toBe('< 50 ms');
    expect(evaluate(BUDGETS.problemHtml, 10_000).status).toBe('fail');
    expect(evaluate(BUDGETS.practiceScript, 59_999).status).toBe('pass');
  });

  it('makes a roster of made-up students for the answer keys', () => {
    const lines = rosterCsv(500).trim().split('\n');
    expect(lines).toHaveLength(1 + 500);
    expect(lines.slice(0, 2)).toEqual(['email', 'student-0001@example.edu']);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('takes medians and per-page costs', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(marginalMs({ wallMs: 10_000, pages: 40 }, { wallMs: 19_000, pages: 220 })).toBe(50);
    expect(marginalMs({ wallMs: 10_000, pages: 40 }, { wallMs: 11_000, pages: 40 })).toBeUndefined();
    expect(marginalCpuMs({ cpuMs: 8_000, pages: 40 }, { cpuMs: 17_000, pages: 220 })).toBe(50);
    expect(marginalCpuMs({ pages: 40 }, { cpuMs: 17_000, pages: 220 })).toBeUndefined();
  });
});

describe('repeated builds', () => {
  const run = (wallMs: number, cpuMs: number | undefined, peakRss: number, outDir: string): BuildRun => ({
    wallMs,
    ...(cpuMs === undefined ? {} : { cpuMs }),
    peakRss,
    peakTreeRss: peakRss,
    code: 0,
    output: '',
    outDir,
    pages: 10,
  });

  it('keeps the fastest run, the least CPU time and the largest peak memory', () => {
    const best = bestOf([run(12_000, 9_000, 700e6, 'a'), run(10_000, 9_500, 650e6, 'b'), run(11_000, undefined, 800e6, 'c')]);
    expect(best).toMatchObject({ wallMs: 10_000, cpuMs: 9_000, peakRss: 800e6, outDir: 'b', runs: 3, wallMsAll: [12_000, 10_000, 11_000] });
    expect(() => bestOf([])).toThrow();
  });
});

describe('sizes', () => {
  it('counts raw bytes in UTF-8 and the gzipped size', () => {
    const text = 'é'.repeat(1000);
    const s = sizeOf(text);
    expect(s.raw).toBe(2000);
    expect(s.gzip).toBeLessThan(100);
    expect(gunzipSync(gzipSync(Buffer.from(text), { level: 9 })).length).toBe(2000);
    expect(s.gzip).toBe(gzipSync(Buffer.from(text), { level: 9 }).length);
    expect(sizeOf('')).toEqual({ raw: 0, gzip: 0 });
  });
});

describe('reading pages', () => {
  it('knows the page type of a path', () => {
    expect(pageTypeOf('index.html')).toBe('index');
    expect(pageTypeOf('problems/hw1/q1/index.html')).toBe('problem');
    expect(pageTypeOf('variants/hw1/q1/7/index.html')).toBe('variant');
    expect(pageTypeOf('practice/hw1/q1/index.html')).toBe('practice');
    expect(pageTypeOf('chapters/metrics/index.html')).toBe('chapter');
    expect(pageTypeOf('models/resnet50/index.html')).toBe('model');
    expect(pageTypeOf('chapters/index.html')).toBeUndefined();
    expect(pageTypeOf('topics/sram/index.html')).toBeUndefined();
    expect(pageTypeOf('_astro/x.css')).toBeUndefined();
  });

  it('lists what a page loads, leaving out data scripts and comments', () => {
    const html = `<head><link rel="stylesheet" href="/_astro/Base.css"><link rel=modulepreload href="/_astro/a.js">
      <style>p{color:red}</style><!-- <script src="/old.js"></script> --></head>
      <body><script type="module" src="/_astro/practice.js"></script><script type="application/json">{"a":1}</script>
      <script>console.log(1)</script></body>`;
    expect(assetsOf(html)).toEqual({
      stylesheets: ['/_astro/Base.css'],
      inlineStyles: ['p{color:red}'],
      scripts: ['/_astro/practice.js'],
      inlineScripts: ['console.log(1)'],
      modulePreloads: ['/_astro/a.js'],
    });
  });

  it('finds a minified module’s static and dynamic imports', () => {
    const js = `import{a as b}from"./chunk.A1.js";import"./side.js";export{c}from'./re.js';const k=()=>import("./katex.B2.js");`;
    expect(importsOf(js)).toEqual({ static: ['./chunk.A1.js', './side.js', './re.js'], dynamic: ['./katex.B2.js'] });
  });

  it('reads font URLs of CSS and tells KaTeX woff2 faces from the rest', () => {
    const css = `@font-face{src:url(/_astro/KaTeX_Main-Regular.B22Nviop.woff2) format("woff2"),url("/_astro/KaTeX_Main-Regular.Dr94JaBh.woff") format("woff")}a{background:url(data:image/png;base64,xx)}`;
    expect(cssUrls(css)).toEqual(['/_astro/KaTeX_Main-Regular.B22Nviop.woff2', '/_astro/KaTeX_Main-Regular.Dr94JaBh.woff']);
    expect(fontFileOf('_astro/KaTeX_Size1-Regular.Dbsnue_I.ttf')).toEqual({ face: 'KaTeX_Size1-Regular', format: 'ttf', katex: true });
    expect(fontFileOf('_astro/x.css')).toBeUndefined();
    expect(extraFontFiles(['_astro/KaTeX_Main-Regular.B22Nviop.woff2', '_astro/KaTeX_Main-Regular.Dr94JaBh.woff', '_astro/Inter.Abcdef12.woff2', 'a.css'])).toEqual([
      '_astro/KaTeX_Main-Regular.Dr94JaBh.woff',
      '_astro/Inter.Abcdef12.woff2',
    ]);
  });

  it('reads the TeX of KaTeX output back, display or inline', () => {
    const html = `<span class="katex-display"><span class="katex"><span class="katex-mathml"><math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><semantics><mrow></mrow><annotation encoding="application/x-tex">a &amp;= b &lt; c</annotation></semantics></math></span></span></span>
      <span class="katex"><span class="katex-mathml"><math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow></mrow><annotation encoding="application/x-tex">|W_i|</annotation></semantics></math></span></span>`;
    expect(formulasOf(html)).toEqual([
      { tex: 'a &= b < c', display: true },
      { tex: '|W_i|', display: false },
    ]);
    expect(decodeEntities('&#x27;&#39;&quot;&unknown;')).toBe(`''"&unknown;`);
  });
});

describe('choosing what to measure', () => {
  it('finds ResNet-50 and BERT-base among zoo ids', () => {
    expect(zooIdFor('resnet50', ['lenet5', 'resnet18', 'resnet50'])).toBe('resnet50');
    expect(zooIdFor('bert-base', ['bert-base-cased-qa', 'bert-base-uncased'])).toBe('bert-base-uncased');
    expect(zooIdFor('bert-base', ['bert-base-cased-qa'])).toBe('bert-base-cased-qa');
    expect(zooIdFor('resnet50', ['lenet5'])).toBeUndefined();
  });

  it('samples up to three pages of each type, spread out', () => {
    const pages = ['index.html', ...Array.from({ length: 10 }, (_, i) => `variants/hw1/q1/${i + 1}/index.html`), 'topics/a/index.html'];
    expect(samplePages(pages)).toEqual(['variants/hw1/q1/1/index.html', 'variants/hw1/q1/6/index.html', 'variants/hw1/q1/10/index.html', 'index.html']);
  });
});

describe('the fix for the font budget', () => {
  it('keeps only the woff2 source of each KaTeX face', async () => {
    const { readFileSync } = await import('node:fs');
    const { createRequire } = await import('node:module');
    const { woff2Only } = await import('../../src/site/katex-fonts.ts');
    const css = readFileSync(createRequire(import.meta.url).resolve('katex/dist/katex.min.css'), 'utf8');
    const before = cssUrls(css);
    const after = cssUrls(woff2Only(css));
    expect(before.filter((u) => u.endsWith('.woff2')).length).toBeGreaterThan(10);
    expect(after).toEqual(before.filter((u) => u.endsWith('.woff2')));
    expect(woff2Only('src:url(a.woff2) format("woff2"), url(a.woff) format("woff"), url(a.ttf) format("truetype")')).toBe('src:url(a.woff2) format("woff2")');
  });
});

describe('fuzz suites (npm run fuzz)', () => {
  it('finds the seeded suites by name', () => {
    expect(fuzzSuites()).toEqual(expect.arrayContaining(['test/engine/fuzz.test.ts', 'test/engine/onnx-mutants.test.ts']));
  });

  it('tabulates each family and a total per suite', () => {
    const rows = [
      { suite: 's', family: 'a', seed: 7, cases: 1200, refused: 1000, accepted: 200, ms: 1500 },
      { suite: 's', family: 'b', seed: 7, cases: 30, refused: 30, accepted: 0, ms: 20 },
    ];
    expect(fuzzGrid(rows)).toEqual([
      ['suite', 'family', 'seed', 'cases', 'refused', 'accepted', 'ms'],
      ['s', 'a', '7', '1,200', '1,000', '200', '1,500'],
      ['s', 'b', '7', '30', '30', '0', '20'],
      ['s', '(all)', '7', '1,230', '1,030', '200', '1,520'],
    ]);
  });
});
