/**
 * The models of the course's site: those its problems use (a built-in id, a built-in written
 * inline with its layers, an inline JSON definition, an ONNX file), and the built-in ones the
 * course file lists under `models:`. The models index lists these and no other; each has a model
 * page (or an outline in the student edition). A course's own model takes its name as its page's
 * id, with `-2`, `-3` when two differ under one name or a name is a built-in's.
 */
import { basename } from 'node:path';
import { defineModel, LLM_ZOO, ZOO, zooEntry, type Model, type ZooFamily } from '../engine/index.ts';
import { modelsFor } from '../workbook/builtins.ts';
import { courseListedModels } from '../workbook/course.ts';
import { courseGeneration } from '../workbook/course-generation.ts';
import { resolveModel } from '../workbook/models.ts';
import { isOnnxPath } from '../workbook/builtins.ts';
import { sortedProblems } from './collections.ts';
import { fileOf } from './variants.ts';
import { zooIdOf } from './model-visibility.ts';

/** A model page's subject: a built-in model or one of the course's own. */
export interface SiteModel {
  /** Its page: /models/<id>/. */
  readonly id: string;
  readonly description: string;
  /** Where it is defined: the built-in's reference, or the course's file. */
  readonly source: string;
  /** A built-in's family; none for the course's own models. */
  readonly family?: ZooFamily;
  /** The options a built-in takes, at their defaults (`seq` for BERT). */
  readonly defaults: { readonly seq?: number };
  /** The model, defined (validated). */
  model(): Model;
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'model';

/** The same layers and shapes: one page for two problems that write the same model. */
const signature = (m: Model) => JSON.stringify([m.input, m.layers.map((l) => [l.id, l.type, l.label, l.outputShape])]);

function builtIn(id: string): SiteModel {
  const entry = zooEntry(id)!;
  let model: Model | undefined;
  return { id, description: entry.description, source: entry.source, family: entry.family, defaults: entry.defaults, model: () => (model ??= defineModel(entry.def)) };
}

let memo: Promise<SiteModel[]> | undefined;
/** In the dev server: the count of saves the memo was collected at. */
let memoGeneration: number | undefined;

/**
 * The course's models: built-in ones in the zoo's order, then the course's own in problem order.
 * Collected once in a build; in the dev server once per save (course-generation.ts), when the
 * problems are read again too (src/site/content.ts); afresh elsewhere.
 */
export async function courseModels(): Promise<SiteModel[]> {
  if (process.env.NODE_ENV === 'production') return (memo ??= collect());
  const generation = courseGeneration();
  if (generation === undefined) return collect();
  if (generation !== memoGeneration) {
    memoGeneration = generation;
    memo = collect();
    ownMemo = undefined;
  }
  return memo!;
}

/** The page id of the model a problem uses (its canonical variant's), or undefined when it has none. */
export async function modelPageIdOf(model: Model): Promise<string | undefined> {
  const zoo = zooIdOf(model);
  const models = await courseModels();
  if (zoo) return models.some((m) => m.id === zoo) ? zoo : undefined;
  const sig = signature(model);
  return (await ownBySignature()).get(sig);
}

let ownMemo: Map<string, string> | undefined;
async function ownBySignature(): Promise<Map<string, string>> {
  const models = await courseModels();
  // Kept with courseModels' memo (a build, or the dev server between saves).
  if (ownMemo && (process.env.NODE_ENV === 'production' || courseGeneration() !== undefined)) return ownMemo;
  const map = new Map<string, string>();
  for (const m of models) if (!m.family) map.set(signature(m.model()), m.id);
  return (ownMemo = map);
}

/**
 * The built-in language models the course has (src/engine/zoo/llm/): those its problems name by id
 * and those its course file lists under `models:`. Their pages are /models/llm/<id>/.
 */
export async function courseLlmIds(): Promise<Set<string>> {
  const known = new Set(LLM_ZOO.map((e) => e.id));
  const ids = new Set(courseListedModels().filter((id) => known.has(id)));
  for (const entry of await sortedProblems()) {
    const spec = entry.data.model;
    if (typeof spec === 'string' && known.has(spec)) ids.add(spec);
  }
  return ids;
}

async function collect(): Promise<SiteModel[]> {
  const zooIds = new Set<string>(courseListedModels().filter((id) => zooEntry(id)));
  const own: SiteModel[] = [];
  const ownSigs = new Map<string, string>();
  const taken = new Set(ZOO.map((e) => e.id));
  const problems = await sortedProblems();
  for (const entry of problems) {
    const spec = entry.data.model;
    const file = fileOf(entry);
    if (typeof spec === 'string' && !isOnnxPath(spec)) {
      if (zooEntry(spec)) zooIds.add(spec);
      continue;
    }
    let model: Model;
    try {
      model = resolveModel(spec, modelsFor(spec, file), file);
    } catch {
      continue; // the problem's own page stops the build with the error
    }
    const zoo = zooIdOf(model);
    if (zoo) {
      zooIds.add(zoo);
      continue;
    }
    const sig = signature(model);
    if (ownSigs.has(sig)) continue;
    let id = slug(model.name);
    for (let n = 2; taken.has(id); n++) id = `${slug(model.name)}-${n}`;
    taken.add(id);
    ownSigs.set(sig, id);
    const source = isOnnxPath(spec) ? `${spec} (ONNX), in ${file}` : `defined in ${file}`;
    const description = isOnnxPath(spec) ? `The ONNX model ${basename(spec)}, imported from its graph.` : `The course's own model ${model.name}.`;
    own.push({ id, description, source, defaults: {}, model: () => model });
  }
  return [...ZOO.filter((e) => zooIds.has(e.id)).map((e) => builtIn(e.id)), ...own];
}
