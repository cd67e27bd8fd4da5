/**
 * A course of one's own, written to a temporary folder for a test: `problems/`, `content/` and
 * any other file, by path. Nothing under src/ is touched.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function writeCourse(files: Readonly<Record<string, string>>, prefix = 'workbook-course-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The line (1-based) of the first line of `text` that contains `needle`, and its column. */
export function lineOf(text: string, needle: string): { line: number; column: number } {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`'${needle}' is not in the text`);
  return { line: i + 1, column: lines[i]!.indexOf(needle) + 1 };
}

/**
 * A course of one's own: a new set named in its course file, with a problem on a custom JSON
 * model, a hardware profile, a randomized parameter, a yes/no and two multiple-choice answers.
 */
const PROBLEM = `---
title: "HW2 Q1: a tiny CNN on a microcontroller"
source: "HW2, question 1"
set: hw2
order: 1
topics: [parameters, latency]
difficulty: core
hardware: stm32f746ng
model:
  name: tiny-cnn
  input: [1, 28, 28]
  layers:
    - { type: Conv2d, name: conv1, in_channels: 1, out_channels: "$c", kernel_size: 3 }
    - { type: ReLU }
    - { type: Flatten }
    - { type: Linear, name: fc1, in_features: "$f", out_features: 10 }
given:
  paramBits: 8
  activationBits: 8
params:
  c: { default: 8, choices: [4, 8, 16], label: channels }
  f: { derived: "c * 676", label: flattened features }
---

A network of <Given name="c" /> channels on the STM32F746NG at <Given name="paramBits" /> bits.

<Question label="a">
<Answer of="params" expect={54170} />
<Answer of="latencyMs" />
</Question>

<Question label="b">
<Answer of="fitsInFlash" expect={true} />
<Choice of="macs" pick="max" options={["conv1", "fc1"]} expect="fc1" />
<Choice of="paramBytes" ratio={0.5} options={[{ label: "4-bit weights", paramBits: 4 }, { label: "16-bit weights", paramBits: 16 }]} />
</Question>
`;

const COURSE = `title: "Tiny networks on small chips"
name: Tiny Workbook
lede: "A course of my own."
sets:
  hw2:
    title: "Homework 2: a tiny CNN"
    description: "Convolutions on a microcontroller."
topics: [parameters, latency, model size]
`;

export const OWN_COURSE: Readonly<Record<string, string>> = { 'problems/hw2/q1.mdx': PROBLEM, 'content/course.yaml': COURSE };

// The course of the LMS model tests (test/publish/lms-models.test.ts) and of their recording
// (test/fixtures/lms/record/own-course.ts): a problem on its own ONNX file and one showing a chart.
export const ONNX_PROBLEM = `---
title: "HW2 Q2: LeNet-5 from its ONNX export"
source: "HW2, question 2"
set: hw2
order: 2
topics: [parameters]
difficulty: core
model: ./models/net.onnx
---

<Question label="a">
<Answer of="params" expect={61706} />
</Question>
`;
/** A problem whose statement shows a chart (an SVG beside it). */
export const IMAGE_PROBLEM = `---
title: "HW2 Q3: reading a roofline"
source: "HW2, question 3"
set: hw2
order: 3
topics: [latency]
difficulty: core
model: lenet5
---

The roofline of the chip:

![The roofline: peak 10 GFLOP/s, ridge at 2 FLOP/B](./charts/roofline.svg)

<Question label="a">
<Answer of="params" />
</Question>
`;
export const ROOFLINE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><path d="M0 60 L40 10 L120 10" stroke="black" fill="none"/></svg>\n';

/** Beside OWN_COURSE: the ONNX problem (its models/net.onnx is copied in by the caller) and the chart problem. */
export const MODEL_COURSE_FILES: Readonly<Record<string, string>> = {
  'problems/hw2/q2.mdx': ONNX_PROBLEM,
  'problems/hw2/q3.mdx': IMAGE_PROBLEM,
  'problems/hw2/charts/roofline.svg': ROOFLINE_SVG,
};
