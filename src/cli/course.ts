/**
 * `workbook check` and `workbook new problem`: the author's commands.
 *
 *   workbook check [--course DIR] [--seeds N]
 *       every problem and the course file validated without building the site; every error as
 *       file:line:column: message; exit 1 when there is any, 0 otherwise.
 *   workbook new problem <set>/<name> [--model <id | file.json>] [--course DIR]
 *       writes problems/<set>/<name>.mdx, a problem that builds as it is, and says what to edit.
 *
 * The course folder is --course, else WORKBOOK_COURSE_DIR, else the working directory.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { defineModel, importOnnx, ModelError, ZOO } from '../engine/index.ts';
import { didYouMean } from '../workbook/check/diagnostics.ts';
import { FileError, readText } from './files.ts';
import { checkCourse, formatReport } from '../workbook/check/index.ts';
import { courseInfo, courseSets, loadCourse, problemFiles, problemsDir, SET_ID, titleFromId } from '../workbook/course.ts';
import { parseFrontmatter } from '@astrojs/internal-helpers/frontmatter';

export interface CourseIo {
  out(text: string): void;
  err(text: string): void;
}

export const CHECK_USAGE = `usage: workbook check [--course DIR] [--seeds N]

  --course DIR  the course's folder (problems/ and content/); default: WORKBOOK_COURSE_DIR or .
  --seeds N     variants sampled per randomized problem besides the homework (default 10)`;

export const NEW_USAGE = `usage: workbook new problem <set>/<name> [--model <id | file.json | file.onnx>] [--course DIR]

  <set>/<name>  the problem's set (lower-case letters, digits, dashes) and file name
  --model M     a built-in model id (workbook models), your own model as a JSON file
                (format: src/engine/model/FORMAT.md) or an ONNX file; default: a small MLP`;

class UsageError extends Error {}

function withCourse<T>(course: string | undefined, body: () => T): T {
  if (course === undefined) return body();
  const before = process.env.WORKBOOK_COURSE_DIR;
  process.env.WORKBOOK_COURSE_DIR = resolve(course);
  try {
    return body();
  } finally {
    if (before === undefined) delete process.env.WORKBOOK_COURSE_DIR;
    else process.env.WORKBOOK_COURSE_DIR = before;
  }
}

export function runCheck(argv: readonly string[], io: CourseIo): number {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { course: { type: 'string' }, seeds: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) return (io.out(CHECK_USAGE), 0);
    if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    const seeds = values.seeds === undefined ? 10 : Number(values.seeds);
    if (!Number.isInteger(seeds) || seeds < 0) throw new UsageError(`--seeds takes a whole number, got '${values.seeds}'`);
    const started = performance.now();
    const { diagnostics, problems } = withCourse(values.course, () => checkCourse({ seeds }));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (diagnostics.length > 0) {
      io.err(formatReport(diagnostics));
      return 1;
    }
    io.out(`${problems} problem${problems === 1 ? '' : 's'} checked in ${seconds} s: no errors`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      io.err(`workbook check: ${(error as Error).message}\n\n${CHECK_USAGE}`);
      return 2;
    }
    throw error;
  }
}

/** The frontmatter's `model:` line for --model: a built-in id as is, a JSON file's definition inline. */
function modelLine(model: string | undefined, cwd: string, problemDir?: string): string {
  if (model === undefined) return 'model: { name: my-mlp, mlp: [784, 128, 10] }   # a built-in id (workbook models), an MLP by its widths, or a full definition';
  // An ONNX file stays a file: the problem names it by its path from the problem's folder.
  if (model.toLowerCase().endsWith('.onnx') && problemDir !== undefined) {
    const path = resolve(cwd, model);
    if (!existsSync(path)) throw new UsageError(`--model: no file ${model}`);
    try {
      importOnnx(readFileSync(path), { name: basename(path, '.onnx'), file: model });
    } catch (error) {
      if (error instanceof ModelError) throw new UsageError(`--model: ${error.message}`);
      throw error;
    }
    const rel = relative(problemDir, path).split(sep).join('/');
    return `model: ${rel.startsWith('.') ? rel : `./${rel}`}   # your ONNX model, relative to this file`;
  }
  if (!model.endsWith('.json')) {
    const ids = ZOO.map((e) => e.id);
    if (!ids.includes(model)) throw new UsageError(`--model: unknown model '${model}'${didYouMean(model, ids)}; built in: ${ids.join(', ')}; or give a .json file`);
    return `model: ${model}`;
  }
  const path = resolve(cwd, model);
  if (!existsSync(path)) throw new UsageError(`--model: no file ${model}`);
  let text: string;
  try {
    // A regular text file within the size limit (a named pipe is refused, not waited on).
    text = readText(path, 'model file');
  } catch (error) {
    if (error instanceof FileError) throw new UsageError(`--model: ${error.message}`);
    throw error;
  }
  let def: unknown;
  try {
    def = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--model: ${model} is not JSON: ${(error as Error).message}`);
  }
  try {
    defineModel(def as never, { file: model });
  } catch (error) {
    if (error instanceof ModelError) throw new UsageError(`--model: ${error.message}`);
    throw error;
  }
  // JSON is YAML: the definition goes in the frontmatter as it is, on one line.
  return `# your model, from ${model}\nmodel: ${JSON.stringify(def)}`;
}

export function runNew(argv: readonly string[], io: CourseIo): number {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { model: { type: 'string' }, course: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) return (io.out(NEW_USAGE), 0);
    const [what, target, ...extra] = positionals;
    if (what !== 'problem') throw new UsageError(what ? `workbook new makes a 'problem', not '${what}'` : 'what to make? workbook new problem <set>/<name>');
    if (!target) throw new UsageError('workbook new problem needs <set>/<name>, e.g. hw2/q1');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const m = /^([^/]+)\/([^/]+?)(\.mdx)?$/.exec(target);
    if (!m) throw new UsageError(`'${target}' is not <set>/<name>, e.g. hw2/q1`);
    const [, set, name] = m as unknown as [string, string, string];
    if (!SET_ID.test(set)) throw new UsageError(`set '${set}': a set id is lower-case letters, digits and dashes, e.g. hw2`);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new UsageError(`name '${name}': a problem's file name is lower-case letters, digits and dashes, e.g. q1`);
    const cwd = process.cwd();
    return withCourse(values.course, () => {
      const path = join(problemsDir(), set, `${name}.mdx`);
      if (existsSync(path)) throw new UsageError(`${path} exists; choose another name`);
      const order = 1 + problemFiles().filter((f) => {
        try {
          return (parseFrontmatter(readFileSync(f, 'utf8')).frontmatter as { set?: string }).set === set;
        } catch {
          return false;
        }
      }).length;
      const topic = courseInfo().topics?.[0] ?? 'parameters';
      const known = courseSets().find((s) => s.id === set);
      // The course file as it exists (the next steps name only files that exist).
      const courseFile = loadCourse().file;
      const text = `---
title: "${set.toUpperCase()} ${name}: a new problem"
source: "${set}, ${name}"
set: ${set}
order: ${order}
topics: [${topic}]
difficulty: core          # warm-up | core | challenge
${modelLine(values.model, cwd, dirname(path))}
given:
  paramBits: 32           # also: activationBits, batch, clockMHz, cyclesPerMac, hardware
---

Consider the network <Network inline />, stored as <Given name="paramBits" />-bit values.

<Network />

<Question label="a">
How many parameters does it have, and how many bytes do they take?

<Answer of="params" />
<Answer of="paramBytes" />
</Question>
`;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      io.out(`wrote ${path}
next:
  - edit the title, source, topics and the question's text
  - choose the answers: <Answer of="..." /> (every answer kind: the authoring guide, /guides/authoring/ in npx workbook dev)
  - add expect={...} to an answer to have the build check the number you expect
${known?.listed ? '' : courseFile ? `  - name the set: add '${set}' under sets: in ${courseFile} (until then its title is '${titleFromId(set)}')\n` : `  - name the set: a course file, content/course.yaml, titles and orders the sets (workbook init DIR writes a course with one; until then the set's title is '${titleFromId(set)}')\n`}  - npx workbook check, then npx workbook build`);
      return 0;
    });
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      io.err(`workbook new: ${(error as Error).message}\n\n${NEW_USAGE}`);
      return 2;
    }
    throw error;
  }
}
