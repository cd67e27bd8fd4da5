/**
 * The built model pages (/models/<id>/ for every zoo model, and /models/): each has the layer
 * table, the per-layer charts and the roofline as inline SVG with a text alternative, the
 * published totals as text (test/engine/published.ts), the counting conventions side by side,
 * and no script. Problems that name a zoo model link to its page. The student edition has an
 * outline per model instead: its layers as defined, no figure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COUNTER_IDS, defineModel, formatNumber, formatShape, LLM_ZOO_IDS, llmAnalysis, llmZooImport, PROFILE_IDS, ZOO_IDS, zooModel } from '../../src/engine/index.ts';
import { mlpDef } from '../../src/engine/zoo/mlp.ts';
import { zooIdOf } from '../../src/site/model-visibility.ts';
import { PUBLISHED_STANDARD, STANDARD_FROM_OTHERS } from '../engine/published.ts';
import { buildSite, textOf, type BuiltSite } from '../helpers/site.ts';

let site: BuiltSite;
let student: BuiltSite;
beforeAll(async () => {
  site = await buildSite();
  student = await buildSite({ edition: 'student' });
}, 600_000);

const published = new Map([...PUBLISHED_STANDARD, ...STANDARD_FROM_OTHERS].map((p) => [p.id, p]));

/** The text of the table cell marked `data-total="NAME"`, or of the key figure `data-figure="NAME"`. */
const marked = (html: string, attr: string, name: string) => textOf(new RegExp(`<[^>]+${attr}="${name}"[^>]*>([\\s\\S]*?)</`).exec(html)?.[1] ?? '');

describe.each(ZOO_IDS.map((id) => [id]))('/models/%s/', (id) => {
  let html: string;
  beforeAll(() => {
    html = site.page(`/models/${id}/`);
  });

  it('ships no script and is in the search index', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/<main[^>]*data-pagefind-body/);
  });

  it('shows the published params and MACs as text, in the key figures and the table footer', () => {
    const p = published.get(id)!;
    expect(marked(html, 'data-figure', 'params')).toBe(formatNumber(p.params));
    expect(marked(html, 'data-figure', 'macs')).toBe(formatNumber(p.macs));
    expect(marked(html, 'data-total', 'params')).toBe(formatNumber(p.params));
    expect(marked(html, 'data-total', 'macs')).toBe(formatNumber(p.macs));
  });

  it('has the per-layer table with headers, inside its own scrolling box', () => {
    expect(html).toMatch(/<div class="table-scroll"[^>]*>\s*(?:<p class="scroll-cue"[^>]*>[^<]*<\/p>\s*)?<table class="layer-table">/);
    expect(html).toMatch(/<th scope="col"[^>]*>Params<\/th>/);
    expect(html).toMatch(/<th scope="col"[^>]*>MACs<\/th>/);
    expect(html).toMatch(/<th scope="col"[^>]*>Activations<\/th>/);
  });

  it('has inline SVG charts (params, activations, MACs, roofline), each an image with a name and a description', () => {
    for (const panel of ['params', 'activations', 'macs', 'roofline']) {
      const svg = new RegExp(`data-panel="${panel}"[^>]*>\\s*(<svg[^>]*>)`).exec(html)?.[1];
      expect(svg, panel).toBeDefined();
      expect(svg).toMatch(/role="img"/);
      expect(svg).toMatch(/aria-label="[^"]+"/);
      expect(svg).toMatch(/aria-description="[^"]+"/);
    }
    // The figure's caption carries the data in words too.
    expect(textOf(/<figure class="chart layer-chart">[\s\S]*?<figcaption>([\s\S]*?)<\/figcaption>/.exec(html)![1]!)).toMatch(/Parameters: the largest is layer \d+/);
    // Plot names each mark's group; ARIA allows no name on a <g> without a role: its kind is data.
    expect(html).not.toMatch(/<g[^>]*aria-label=/);
    expect(html).toMatch(/<g[^>]*data-mark="bar"/);
  });

  it('shows the totals under each counting convention, with why they differ', () => {
    for (const profile of PROFILE_IDS) expect(html).toContain(`data-profile="${profile}"`);
    for (const tool of COUNTER_IDS) expect(html).toContain(`data-tool="${tool}"`);
    expect(textOf(html)).toMatch(/Published totals for one model disagree because each tool counts different things/);
  });
});

describe('what the pages show for the lectures\' examples', () => {
  it('vgg16: the classifier holds most parameters; mobilenet-v2: the largest activation is early, the largest weights late', () => {
    expect(textOf(site.page('/models/vgg16/'))).toMatch(/Parameters: the largest is layer 14, classifier\.0, with 411,058,176 B/);
    const mbv2 = textOf(site.page('/models/mobilenet-v2/'));
    expect(mbv2).toMatch(/Output activations: the largest is layer 4, features\.2\.conv\.0\.0,/);
    expect(mbv2).toMatch(/Parameters: the largest is layer 53, classifier\.1,/);
  });

  it('bert-base-cased-qa: thop differs by the 25 LayerNorms and the attention matmuls it does not see', () => {
    const text = textOf(site.page('/models/bert-base-cased-qa/'));
    expect(text).toContain(`thop (ultralytics-thop 2.x): ${formatNumber(10_881_662_976)} MACs`);
    expect(text).toContain(`+${formatNumber(25 * 4 * 128 * 768)} from LayerNorm`);
    expect(text).toContain(`−${formatNumber(12 * 2 * 12 * 128 * 128 * 64)} from attention`);
  });

  it("resnet50: each tool's figure as it prints it, and its difference term by term", () => {
    const text = textOf(site.page('/models/resnet50/'));
    expect(text).toContain(`thop (ultralytics-thop 2.x): ${formatNumber(4_133_742_592)} MACs = ${formatNumber(4_089_184_256)} standard MACs + ${formatNumber(44_558_336)}`);
    expect(text).toContain(`+ BatchNorm: 4 per element: 4 × 11,113,984 elements = 44,455,936`);
    expect(text).toContain('Computational complexity: 4.13 GMac');
    expect(text).toContain('FLOPs: 8.21 GFLOPS');
    expect(text).toContain('Forward/backward pass size (MB): 177.83');
  });

  it('alexnet-grouped: the lectures leave out the biases', () => {
    expect(textOf(site.page('/models/alexnet-grouped/'))).toContain(`${formatNumber(60_954_656)} parameters (−${formatNumber(96 + 256 + 384 + 384 + 256 + 4096 + 4096 + 1000)}: biases left out)`);
  });
});

describe('/models/', () => {
  it('lists every model with a link, its params and MACs, and ships no script', () => {
    const html = site.page('/models/');
    expect(html).not.toMatch(/<script/i);
    for (const id of ZOO_IDS) {
      const row = new RegExp(`<tr data-model="${id}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
      expect(row, id).toContain(`href="/models/${id}/"`);
      const p = published.get(id)!;
      expect(textOf(row)).toContain(`${formatNumber(p.params)} ${formatNumber(p.macs)}`);
    }
  });

  it('is in the site navigation', () => {
    expect(site.page('/')).toMatch(/<a href="\/models\/"[^>]*>Models<\/a>/);
  });
});

describe('/models/llm/<id>/: the built-in language models (issue 27)', () => {
  it.each(LLM_ZOO_IDS.map((id) => [id]))('%s: its figures as text, listed on /models/, no script; none in the student edition', (id) => {
    const html = site.page(`/models/llm/${id}/`);
    expect(html).not.toMatch(/<script/i);
    const llm = llmAnalysis(llmZooImport(id)!, { context: 1 });
    expect(marked(html, 'data-figure', 'params')).toBe(formatNumber(llm.params.value));
    expect(marked(html, 'data-figure', 'activeParams')).toBe(formatNumber(llm.activeParams.value));
    expect(textOf(html)).toMatch(/Time per token/);
    const row = new RegExp(`<tr data-model="${id}">([\\s\\S]*?)</tr>`).exec(site.page('/models/'))?.[1] ?? '';
    expect(row).toContain(`href="/models/llm/${id}/"`);
    expect(student.files().some((f) => f.startsWith('models/llm/'))).toBe(false);
  });

  it('Llama-2-13B: 8.02 ms per token on the H100 at context 1,024', () => {
    expect(textOf(site.page('/models/llm/llama-2-13b/'))).toMatch(/NVIDIA H100 SXM5 80 GB [\d.,]+ [\d.]+ ms [\d.,]+ 8\.02 ms memory-bound/);
  });
});

describe('problems link to the model they use', () => {
  it('HW1 Q1 and Q2 write their MLPs inline with the zoo models\' names and layers: they link to them', () => {
    expect(site.page('/problems/hw1/q1/')).toMatch(/Model: <a href="\/models\/mlp-hw1-q1\/">mlp-hw1-q1<\/a>/);
    expect(site.page('/problems/hw1/q2/')).toMatch(/Model: <a href="\/models\/mlp-hw1-q2\/">mlp-hw1-q2<\/a>/);
  });

  it('a model with a zoo model\'s name but other layers is not that model (no link)', () => {
    const other = defineModel(mlpDef('mlp-hw1-q1', [120, 128, 10]));
    expect(zooIdOf(other)).toBeUndefined();
    expect(zooIdOf(defineModel(mlpDef('mlp-hw1-q1', [120, 256, 256, 10])))).toBe('mlp-hw1-q1');
    expect(zooIdOf(defineModel(zooModel('resnet18')))).toBe('resnet18');
  });
});

describe('the student edition publishes no model figures (any page number could be, or equal, an answer)', () => {
  it('the index and each model\'s outline show inputs, outputs, layer counts and kinds, no figure; problems do not link to a model', () => {
    const index = student.page('/models/');
    for (const id of ZOO_IDS) {
      const model = defineModel(zooModel(id));
      const row = new RegExp(`<tr data-model="${id}">([\\s\\S]*?)</tr>`).exec(index)?.[1] ?? '';
      expect(row, id).toContain(`href="/models/${id}/"`);
      expect(textOf(row), id).toContain(formatShape(model.input));
      expect(textOf(row), id).toContain(`${model.layers.length}`);
      expect(row).not.toMatch(/\d,\d{3}/);
      // The outline: every layer by its definition, nothing computed (no grouped counts).
      const outline = student.page(`/models/${id}/`);
      for (const l of model.layers) expect(outline).toContain(`<code>${l.id}</code>`);
      expect(textOf(outline.split('<main')[1]!)).not.toMatch(/\d,\d{3}/);
    }
    expect(student.page('/problems/hw1/q1/')).not.toContain('href="/models/mlp-hw1-q1/"');
  });

  it('each outline has the per-layer charts (parameters, activations, MACs) as images, with no layer\'s figure: no tooltip, no largest-layer summary, ticks under 1,000', () => {
    for (const id of ZOO_IDS) {
      const outline = student.page(`/models/${id}/`);
      const solutions = site.page(`/models/${id}/`);
      for (const panel of ['params', 'activations', 'macs']) {
        const svg = new RegExp(`data-panel="${panel}"[^>]*>\\s*(<svg[^>]*>[\\s\\S]*?</svg>)`).exec(outline)?.[1];
        expect(svg, `${id} ${panel}`).toBeDefined();
        expect(svg).toMatch(/^<svg[^>]*role="img"[^>]*aria-label="[^"]+"/);
        // As many bars as the solutions edition's chart draws, and no <title> (the exact figure on hover).
        const bars = (s: string) => (/<g[^>]*data-mark="bar"[^>]*>([\s\S]*?)<\/g>/.exec(s)?.[1] ?? '').match(/<rect/g)?.length ?? 0;
        const full = new RegExp(`data-panel="${panel}"[^>]*>\\s*(<svg[^>]*>[\\s\\S]*?</svg>)`).exec(solutions)![1]!;
        expect(bars(svg!), `${id} ${panel}`).toBe(bars(full));
        expect(bars(svg!)).toBeGreaterThan(0);
        expect(svg).not.toContain('<title>');
      }
      const caption = textOf(/<figure class="chart layer-chart">[\s\S]*?<figcaption>([\s\S]*?)<\/figcaption>/.exec(outline)![1]!);
      expect(caption).toContain('worked out in the problems');
      expect(caption).not.toMatch(/the largest is/);
      // No roofline: it would say which layers are memory-bound, which a problem asks.
      expect(outline).not.toContain('data-panel="roofline"');
    }
  });

  it('every link to a model page leads to a page of the edition (no 404s)', () => {
    for (const file of student.files().filter((f) => f.endsWith('.html'))) {
      const html = readFileSync(join(student.dir, file), 'utf8');
      for (const [, id] of html.matchAll(/href="\/models\/([^/"]+)\/"/g)) expect(student.files(), `${file} links to /models/${id}/`).toContain(`models/${id}/index.html`);
    }
  });
});
