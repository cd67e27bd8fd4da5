/**
 * An instructor's course, for the author's-loop figures (issue 25): a course folder of its own
 * with P randomized problems (25 by default) on a handful of small models, and
 *
 * - its build at N variants (10) against the floor at the same page count (build.ts);
 * - `workbook dev` on it: the time from saving an edited problem to the dev server serving its
 *   page with the re-solved answer (what the browser shows after its reload; the browser's own
 *   paint is not counted). Median of several edits, after a first render.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './engine.ts';
import { freePort } from '../support/browser.mjs';

/** Distinct models of the course: its model pages are its fixed work. */
const MODELS = 5;

/** The problem file of the bench course: a randomized MLP, three answers. */
export function benchProblem(i: number, inputs = 64 + 32 * (i % MODELS)): string {
  return `---
title: "Q${i}: a fully connected network"
source: "bench course, question ${i}"
set: hw${1 + (i % 3)}
order: ${i}
topics: [parameters, MACs]
difficulty: core
model: { name: net-${i % MODELS}, mlp: ["$n0", "$h1", 10] }
given:
  paramBits: 8
params:
  n0: { default: ${inputs}, min: 16, max: 1024, step: 8 }
  h1: { default: 128, choices: [32, 64, 96, 128, 192, 256, 384, 512] }
---

Consider the network <Network inline />, stored as <Given name="paramBits" />-bit values.

<Question label="a">
How many parameters does it have?

<Answer of="params" />
</Question>

<Question label="b">
How many bytes do they take, and how many MACs does one inference cost?

<Answer of="paramBytes" />
<Answer of="macs" />
</Question>
`;
}

/** Writes the bench course (course file, one chapter, `problems` problems) into `dir`. */
export function writeBenchCourse(dir: string, problems = 25): void {
  mkdirSync(join(dir, 'content/chapters'), { recursive: true });
  writeFileSync(
    join(dir, 'content/course.yaml'),
    `title: "A course of ${problems} problems"\nsets:\n  hw1: { title: "Homework 1" }\n  hw2: { title: "Homework 2" }\n  hw3: { title: "Homework 3" }\nunits:\n  - { id: counting, title: Counting, summary: "Parameters and MACs.", chapters: [counting], sets: [hw1, hw2, hw3] }\n`,
  );
  writeFileSync(
    join(dir, 'content/chapters/counting.mdx'),
    `---\ntitle: "Counting"\nsummary: "Weights, biases and MACs."\ntopics: [parameters]\n---\n\nA linear layer from $n$ to $m$ has $n m + m$ parameters and $n m$ MACs.\n`,
  );
  for (let i = 1; i <= problems; i++) {
    mkdirSync(join(dir, `problems/hw${1 + (i % 3)}`), { recursive: true });
    writeFileSync(join(dir, `problems/hw${1 + (i % 3)}/q${i}.mdx`), benchProblem(i));
  }
}

/** User + system CPU time of every process in a process group (the dev server and its children), from /proc. */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended while we read
    }
  }
  return ticks * 10; // 100 clock ticks per second on Linux
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function page(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url);
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

export interface DevLatency {
  /** From the server's start to the problem page's first render. */
  readonly firstPageMs: number;
  /** Each edit: from the file's save to the page served with the new answer. */
  readonly editsMs: readonly number[];
  readonly medianMs: number;
  /** The dev server's CPU time (all its processes) over each of those intervals: steadier under load. */
  readonly editsCpuMs: readonly number[];
  readonly medianCpuMs: number;
}

/**
 * Starts `workbook dev --course dir`, renders problem 1's page, then saves it `edits` times with
 * another input width and times each until the page shows the new parameter count.
 */
export async function devResolveLatency(dir: string, edits = 5): Promise<DevLatency> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'src/cli/workbook.js'), 'dev', '--course', dir, '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}/problems/hw2/q1/`;
  const file = join(dir, 'problems/hw2/q1.mdx');
  const original = readFileSync(file, 'utf8');
  try {
    const started = performance.now();
    let html: string | undefined;
    while (!(html = await page(url))) {
      if (child.exitCode !== null) throw new Error(`workbook dev exited ${child.exitCode}:\n${output.slice(-3000)}`);
      if (performance.now() - started > 180_000) throw new Error(`no page at ${url} after 3 minutes:\n${output.slice(-3000)}`);
      await sleep(100);
    }
    const firstPageMs = performance.now() - started;
    const editsMs: number[] = [];
    const editsCpuMs: number[] = [];
    for (let k = 1; k <= edits; k++) {
      const inputs = 200 + 8 * k;
      // params of [inputs, 128, 10]: the figure the page must show once re-solved.
      const params = (inputs * 128 + 128 + 128 * 10 + 10).toLocaleString('en-US');
      const cpu0 = groupCpuMs(child.pid!);
      const t0 = performance.now();
      writeFileSync(file, benchProblem(1, inputs));
      for (;;) {
        const body = await page(url);
        if (body?.includes(params)) break;
        if (performance.now() - t0 > 30_000) throw new Error(`the page did not show ${params} within 30 s of the save:\n${output.slice(-3000)}`);
        await sleep(20);
      }
      editsMs.push(performance.now() - t0);
      editsCpuMs.push(groupCpuMs(child.pid!) - cpu0);
      await sleep(300);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { firstPageMs, editsMs, medianMs: median(editsMs), editsCpuMs, medianCpuMs: median(editsCpuMs) };
  } finally {
    writeFileSync(file, original);
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
