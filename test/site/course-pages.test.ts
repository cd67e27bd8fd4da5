/**
 * The built pages of the notes, Lab 1 and the lectures: key reference values as the answers they
 * belong to, figure tables with their measured columns labelled, the GEMM table, the errata, and
 * the index listing every set.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { answersOf, buildSite, textOf, type BuiltSite } from '../helpers/site.ts';

let site: BuiltSite;
beforeAll(async () => {
  site = await buildSite();
});

/** The text of a table's cells, row by row: [label, ...cells]. */
function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`data-table="${id}"[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => textOf(c[1]!)));
}

describe('answers on the pages, with their derivations', () => {
  it.each([
    ['/problems/notes/lenet-space/', 'activations', '8,094'],
    ['/problems/notes/lenet-space/', 'totalSpace', '69,800'],
    ['/problems/notes/lenet-operations/', 'macs', '416,520 MACs'],
    ['/problems/lab1/mlp-batch/', 'weightBytes', '802,816 B'],
    ['/problems/lab1/resnet18/', 'activationBytes', '205,520,896 B'],
    ['/problems/lab1/bert/', 'compute', '10,881,662,976 MACs'],
    ['/problems/lab1/bert/', 'gemms', '8'],
    ['/problems/lectures/alexnet-params/', 'params', '34,848'],
    ['/problems/lectures/alexnet-model-size/', 'paramBytes', '243,818,624 B'],
    ['/problems/lectures/alexnet-activations/', 'peakActivations', '440,928'],
    ['/problems/lectures/alexnet-macs/', 'flops', '1,448,813,632 FLOPs'],
  ])('%s shows %s = %s', (page, name, text) => {
    const answers = answersOf(site.page(page)).filter((a) => a.name === name);
    expect(answers.length, `${name} on ${page}`).toBeGreaterThan(0);
    expect(answers.some((a) => textOf(a.html.split('<details')[0]!).includes(text))).toBe(true);
    expect(answers[0]!.html).toContain('class="derivation-lines"');
  });

  it('the roofline answer states the bound beside the intensity it follows from', () => {
    const bound = answersOf(site.page('/problems/lectures/roofline/')).find((a) => a.name === 'bound')!;
    // As the key shows it: 2.36 FLOP/B (the derivation keeps the exact 2.359...).
    expect(textOf(bound.html.split('<details')[0]!)).toContain('memory-bound (operational intensity 2.36 FLOP/B)');
  });
});

describe('figure tables', () => {
  it('the MLP batch table: engine cells, and measured columns marked as measured with their source', () => {
    const html = site.page('/problems/lab1/mlp-batch/');
    const rows = tableRows(html, 'batch');
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['1', '235,146', '234,752'],
      ['64', '235,146', '15,024,128'],
      ['128', '235,146', '30,048,256'],
    ]);
    expect(rows.map((r) => r[4])).toEqual(['0.06297', '0.16933', '0.2406']);
    const text = textOf(html);
    expect(text).toContain('measured in the lab');
    expect(text).toContain('Inference time of one batch: measured in the lab, not computed; source: Lab 1 report, Figures 1-3');
  });

  it('the ResNet-18 convolution table has the lab’s 20 convolutions at batch 64', () => {
    const rows = tableRows(site.page('/problems/lab1/resnet18/'), 'convs');
    expect(rows).toHaveLength(20);
    expect(rows[0]).toEqual(['conv1', '37,632', '205,520,896']);
    expect(rows.find((r) => r[0] === 'layer4.0.conv2')).toEqual(['layer4.0.conv2', '9,437,184', '6,422,528']);
  });

  it('the BERT GEMM table lists the 8 GEMMs of the first block, the scores per head', () => {
    const rows = tableRows(site.page('/problems/lab1/bert/'), 'gemms');
    expect(rows).toHaveLength(8);
    const scores = rows.find((r) => r[1]!.includes('scores'))!;
    expect(scores.slice(2, 5)).toEqual(['[32, 12, 128, 64]', '[32, 12, 64, 128]', '[32, 12, 128, 128]']);
  });
});

describe('errata from REFERENCE.md are on their pages', () => {
  it.each([
    ['/problems/notes/lenet-space/', /Size\(z1\) = 5 × 28 × 28|5 \\times 28 \\times 28/],
    ['/problems/notes/lenet-space/', /80 \\times 84 \+ 84/],
    ['/problems/lectures/alexnet-params/', /24\{,\}848/],
    ['/problems/lectures/alexnet-params/', /37\{,\}738\{,\}736/],
    ['/problems/lectures/alexnet-model-size/', /228\\ \\text\{MB\}/],
    ['/problems/lab1/resnet18/', /about 28 million/],
    ['/problems/lab1/bert/', /\[32, 128, 768\] \\times \[768, 768\]/],
  ])('%s: %s', (page, pattern) => {
    const html = site.page(page);
    const errata = /<aside class="errata"[\s\S]*?<\/aside>/.exec(html)?.[0] ?? '';
    expect(errata, `an erratum on ${page}`).not.toBe('');
    expect(errata).toMatch(pattern);
  });
});

it('the index lists every set with its problems', () => {
  const html = site.page('/');
  for (const set of ['hw1', 'notes', 'lab1', 'lectures']) expect(html).toContain(`id="set-${set}"`);
  for (const page of ['notes/lenet-space', 'lab1/bert', 'lectures/roofline']) expect(html).toContain(`href="/problems/${page}/"`);
});
