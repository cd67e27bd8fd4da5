/**
 * An ONNX file is a model wherever a model is: a problem's `model: ./models/net.onnx` (relative to
 * the problem file; the practice page's embedded spec gives the same variants) and
 * `workbook analyze net.onnx`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerFigure } from '../../src/workbook/answers.ts';
import { builtInsFor, modelsFor } from '../../src/workbook/builtins.ts';
import { resolveModel } from '../../src/workbook/models.ts';
import { problemSchema } from '../../src/workbook/problem.ts';
import { figuresAsked } from '../../src/publish/document.ts';
import { variantOf, type ProblemSpec } from '../../src/workbook/variants/index.ts';
import { sharedOnnxDir } from '../helpers/onnx.ts';
import { checkCourse } from '../../src/workbook/check/index.ts';
import { OWN_COURSE, writeCourse } from '../helpers/course.ts';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'workbook-onnx-'));
mkdirSync(join(dir, 'problems', 'lab', 'models'), { recursive: true });
copyFileSync(join(sharedOnnxDir(), 'lenet5.onnx'), join(dir, 'problems', 'lab', 'models', 'net.onnx'));
const file = join(dir, 'problems', 'lab', 'q.mdx');

const base = { title: 't', source: 's', set: 'lectures-cost', order: 1, topics: ['a'], difficulty: 'core' };
const data = problemSchema.parse({ ...base, model: './models/net.onnx', given: { batch: '$b' }, params: { b: { default: 1, min: 1, max: 64 } } });
const body = '<Answer of="macs" />';

describe("a problem's model: ./models/net.onnx", () => {
  const spec: ProblemSpec = { id: 'lab/q', file, data, answers: figuresAsked(body, file), ...builtInsFor(data, body, file) };

  it('reads the file beside the problem: LeNet-5\'s 61,706 parameters and 416,520 MACs per sample', () => {
    const v = variantOf(spec, 0);
    expect(answerFigure(v.ctx, 'params', file).value).toBe(156 + 2_416 + 48_120 + 10_164 + 850);
    expect(answerFigure(v.ctx, 'macs', file).value).toBe(416_520 * v.values['b']!);
  });

  it('the problem page resolves it the same way', () => {
    expect(resolveModel(data.model, modelsFor(data.model, file), file).layers).toHaveLength(12);
  });

  it('the practice page\'s embedded spec (JSON) gives the same variants', () => {
    const embedded = JSON.parse(JSON.stringify(spec)) as ProblemSpec;
    for (const seed of [1, 2, 3]) {
      expect(answerFigure(variantOf(embedded, seed).ctx, 'macs', file).value).toBe(answerFigure(variantOf(spec, seed).ctx, 'macs', file).value);
    }
  });

  it('a missing file is an error naming the problem file and the path', () => {
    const missing = problemSchema.parse({ ...base, model: './models/none.onnx' });
    expect(() => builtInsFor(missing, '', file)).toThrow(/q\.mdx: \.\/models\/none\.onnx: .*none\.onnx: cannot read the ONNX file \(ENOENT\); a path is relative to the problem file/);
  });
});

describe('workbook analyze net.onnx', () => {
  const workbook = (args: string[]) => spawnSync(join(root, 'node_modules/.bin/node'), [join(root, 'src/cli/workbook.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

  it('prints the totals of the imported graph; --batch scales the MACs', () => {
    const r = workbook(['analyze', join(sharedOnnxDir(), 'lenet5.onnx'), '--batch', '4', '--json']);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect([json.totals.params, json.totals.macs]).toEqual([61_706, 4 * 416_520]);
  });

  it('a bad file is a located error, exit 1', () => {
    const r = workbook(['analyze', join(root, 'package.json').replace(/\.json$/, '.onnx')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/package\.onnx: cannot read the file \(ENOENT\)/);
  });
});

describe('workbook check on a course whose problem names an ONNX file', () => {
  const problem = (model: string) => `---
title: "HW2 Q2: LeNet-5 from its ONNX export"
source: "HW2, question 2"
set: hw2
order: 2
topics: [parameters]
difficulty: core
model: ${model}
---

<Answer of="params" expect={61706} />
`;

  it('reads the file beside the problem, wherever the course is, and checks expect against it', () => {
    const root = writeCourse({ ...OWN_COURSE, 'problems/hw2/q2.mdx': problem('./models/lenet5.onnx') });
    mkdirSync(join(root, 'problems', 'hw2', 'models'), { recursive: true });
    copyFileSync(join(sharedOnnxDir(), 'lenet5.onnx'), join(root, 'problems', 'hw2', 'models', 'lenet5.onnx'));
    expect(checkCourse({ root, seeds: 2 }).diagnostics.map((d) => d.message)).toEqual([]);
  });

  it('a missing file is a diagnostic, not an unknown model id', () => {
    const root = writeCourse({ ...OWN_COURSE, 'problems/hw2/q2.mdx': problem('./models/none.onnx') });
    const messages = checkCourse({ root, seeds: 2 }).diagnostics.map((d) => d.message);
    expect(messages).toEqual([expect.stringMatching(/none\.onnx: cannot read the ONNX file \(ENOENT\); a path is relative to the problem file/)]);
  });
});
