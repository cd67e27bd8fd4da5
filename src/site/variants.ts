/**
 * Variant pages and practice pages: which problems get them, how many variants are pre-rendered,
 * and the problem as variant sampling sees it.
 */
import type { CollectionEntry } from './content.ts';
import { builtInsFor } from '../workbook/builtins.ts';
import { displayPath } from '../workbook/course.ts';
import type { ProblemData } from '../workbook/problem.ts';
import { figuresAsked } from '../publish/document.ts';
import { defaultValues, isRandomized, spaceOf, type ProblemSpec } from '../workbook/variants/index.ts';

/** Pre-rendered variants per randomized problem: WORKBOOK_VARIANTS (default 5), seeds 1..N. */
export function variantCount(): number {
  const raw = process.env.WORKBOOK_VARIANTS ?? '5';
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 1000) throw new Error(`WORKBOOK_VARIANTS is '${raw}'; allowed: a whole number from 0 to 1000`);
  return n;
}

/** Up to this many numbered variants, a problem page links each of them. */
export const FEW_VARIANTS = 12;

/**
 * The seeds a problem page links of its `count` numbered variants: all of them up to
 * FEW_VARIANTS; beyond, the first five and the last, and the page that lists them all (a page
 * linking each of a thousand variants would carry 50 KB of links, 6 KB gzipped).
 */
export function linkedSeeds(count: number): { seeds: number[]; last?: number } {
  if (count <= FEW_VARIANTS) return { seeds: Array.from({ length: count }, (_, i) => i + 1) };
  return { seeds: [1, 2, 3, 4, 5], last: count };
}

/** The problem's file as messages print it and as its relative paths (an ONNX model) resolve: relative to the course folder. */
export function fileOf(entry: CollectionEntry<'problems'>): string {
  return displayPath(entry.filePath);
}

/** The problem as variant sampling needs it; plain JSON, so the practice page can embed it. */
/**
 * One spec per problem for the whole build: the spec is the key of the homework-answer cache
 * (variant.ts), so a new object per page would re-solve the homework on every variant page.
 */
const specs = new WeakMap<object, ProblemSpec>();

export function problemSpecOf(entry: CollectionEntry<'problems'>): ProblemSpec {
  const cached = specs.get(entry.data);
  if (cached) return cached;
  const file = fileOf(entry);
  const body = entry.body ?? '';
  const spec = { id: entry.id, file, data: entry.data, answers: figuresAsked(body, file), ...builtInsFor(entry.data, body, file) };
  specs.set(entry.data, spec);
  return spec;
}

/**
 * The spec a page embeds for its script: the author's `expect` values of figure tables (the
 * homework's figures, which the build checks) left out; the script never needs them.
 */
export function specForPage(spec: ProblemSpec): ProblemSpec {
  const tables = spec.data.tables;
  if (!tables) return spec;
  const bare = Object.fromEntries(Object.entries(tables).map(([id, t]) => [id, { ...t, rows: t.rows.map(({ expect: _expect, ...row }) => row) }]));
  return { ...spec, data: { ...spec.data, tables: bare } };
}

export function isRandomizedEntry(entry: CollectionEntry<'problems'>): boolean {
  return isRandomized(entry.data);
}

/** JSON safe inside <script type="application/json">: no `</script>` or `<!--` can close it. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A randomized problem's canonical parameter values (for `<Given name="param">` on its page); {} otherwise. */
export function canonicalValues(data: ProblemData): Record<string, number> {
  return isRandomized(data) ? defaultValues(spaceOf(data.variation)) : {};
}
