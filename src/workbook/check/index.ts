/**
 * `workbook check` and the build's first step: every problem of the course validated without
 * building the site (frontmatter, answer names and props, `expect`, params and constraints, a
 * light sample of variants, the course file), and every mistake reported, each at its file, line
 * and column, with the nearest valid name. Node only (it reads the course's files).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseFrontmatter } from '@astrojs/internal-helpers/frontmatter';
import { HARDWARE_PROFILE_IDS, ModelError } from '../../engine/index.ts';
import { ANSWER_NAMES, ANSWER_PROP_NAMES, answerPropsSchema, answerDecision, answerFigure, checkExpected, choiceAnswer, isAnswerName, isDecision, solve, type ChoiceOption, type ChoicePick, type ProblemContext } from '../answers.ts';
import { BUILT_IN_HARDWARE, BUILT_IN_MODELS, builtInsFor, isOnnxPath, modelsFor } from '../builtins.ts';
import { courseRoot, displayPath, loadCourse, mdxId, problemFiles, problemsDir, SET_ID, type Course } from '../course.ts';
import { resolveModel } from '../models.ts';
import { solveTable } from '../tables.ts';
import { gemmsOf } from '../gemms.ts';
import { problemSchema, problemSourceSchema, type ProblemData } from '../problem.ts';
import { refsIn } from '../variants/instantiate.ts';
import { figuresAsked } from '../../publish/document.ts';
import { isRandomized, variantOf, type ProblemSpec } from '../variants/variant.ts';
import { checkNoCode, parseBody } from './body.ts';
import { byPlace, checkChapters, checkCourseFile, checkOrders, type WrittenProblem } from './course-file.ts';
import { AuthoringError, didYouMean, type Diagnostic } from './diagnostics.ts';
import { frontmatterOf, sourceOf } from './source.ts';
import { scanTags, type Tag, type TagProp } from './tags.ts';
import { parseYaml, type LocatedYaml, type Position } from './yaml.ts';
import { fieldIssues } from './zod.ts';

export { formatDiagnostic, formatReport, type Diagnostic } from './diagnostics.ts';

export interface CheckOptions {
  /** The course's folder (default: WORKBOOK_COURSE_DIR or the working directory). */
  readonly root?: string;
  /** Variants sampled per randomized problem (seeds 1..n), besides the canonical one. */
  readonly seeds?: number;
}

export interface CheckResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly problems: number;
}

/** The components an author may use in a problem (src/components/authoring/index.ts). */
export const PROBLEM_COMPONENTS = ['Answer', 'Choice', 'Errata', 'FigureTable', 'GemmTable', 'Given', 'Network', 'Question', 'Value'];
const COMPONENTS = PROBLEM_COMPONENTS;
/** Props every answer takes besides the selecting ones. */
const ANSWER_OWN_PROPS = ['of', 'expect', 'title'];
const CHOICE_PROPS = ['of', 'options', 'pick', 'ratio', 'expect', 'title'];

/** Checks the whole course; never throws for an author's mistake, returns them all. */
export function checkCourse(options: CheckOptions = {}): CheckResult {
  const root = options.root ?? courseRoot();
  const diagnostics: Diagnostic[] = [];
  let course: Course | undefined;
  try {
    course = loadCourse(root);
  } catch (error) {
    diagnostics.push(...diagnosticsOf(error, 'content/course.yaml'));
  }
  const files = problemFiles(root);
  const problems: WrittenProblem[] = [];
  for (const path of files) {
    const file = displayPath(path, root);
    const { diagnostics: found, yaml, set, order, topics } = checkProblem(path, file, root, options.seeds ?? 10);
    diagnostics.push(...byPlace(found));
    problems.push({ file, ...(yaml ? { yaml } : {}), ...(set !== undefined ? { set } : {}), ...(order !== undefined ? { order } : {}), ...(topics ? { topics } : {}) });
  }
  const chapters = checkChapters(root);
  diagnostics.push(...chapters.diagnostics, ...checkOrders(problems));
  if (course) diagnostics.push(...checkCourseFile(course, root, problems, chapters.chapters));
  return { diagnostics, problems: files.length };
}

/** An error as diagnostics: an AuthoringError's own, else one for the file. */
function diagnosticsOf(error: unknown, file: string, where?: Position): Diagnostic[] {
  if (error instanceof AuthoringError) return [...error.diagnostics];
  return [{ file, ...(where ?? {}), message: stripFile((error as Error).message, file) }];
}

/** Messages thrown by the engine and answers start with the file; the diagnostic says it already. */
function stripFile(message: string, file: string): string {
  return message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
}

// ---- one problem -----------------------------------------------------------------------------

interface ProblemCheck {
  readonly diagnostics: Diagnostic[];
  readonly data?: ProblemData;
  readonly yaml?: LocatedYaml;
  readonly topics?: string[];
  /** The set and order as written, when they are valid, whatever else is wrong. */
  readonly set?: string;
  readonly order?: number;
}

/** One problem file checked, as `checkCourse` checks each (the dev server checks the page it renders). */
export function checkProblem(path: string, file: string, root: string, seeds: number): ProblemCheck {
  const diagnostics: Diagnostic[] = [];
  const report = (where: Position | undefined, message: string) => diagnostics.push({ file, ...(where ?? {}), message });
  const source = sourceOf(path, file);
  if ('diagnostic' in source) return { diagnostics: [source.diagnostic] };
  const text = source.text;
  const { yaml, bodyLine, body, error } = frontmatterOf(text);

  // The body, whatever the frontmatter: parsed as the build parses it, no code, literal props.
  const mdx = parseBody(body, bodyLine, report);
  if ('root' in mdx) checkNoCode(mdx.root, bodyLine, report);
  const bodyOk = diagnostics.length === 0;
  // Past a syntax error the tags are guesses: only those before it are checked.
  const before = (p: Position) => 'root' in mdx || p.line < mdx.error.line || (p.line === mdx.error.line && p.column < mdx.error.column);
  const tags = scanTags(body, bodyLine).filter((t) => before(t.position) && t.props.every((p) => before(p.position)));
  const names = () => checkTagNames(tags, report);

  if (error || !yaml) {
    report(error?.position ?? { line: 1, column: 1 }, error?.message ?? 'no frontmatter: a problem starts with --- and its fields (title, source, set, order, topics, difficulty, model); `workbook new problem` writes one');
    names();
    return { diagnostics };
  }
  if (yaml.errors.length > 0) {
    for (const e of yaml.errors) report(e.position, `frontmatter: ${e.message}`);
    names();
    return { diagnostics };
  }
  // The frontmatter as the site reads it (Astro's parser), located with `yaml`'s positions.
  let data: unknown;
  try {
    data = parseFrontmatter(text).frontmatter;
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    report(mark ? { line: mark.line + 1, column: mark.column + 1 } : { line: 2, column: 1 }, `frontmatter: ${((error as { reason?: string }).reason ?? (error as Error).message).split('\n')[0]}`);
    names();
    return { diagnostics };
  }
  const raw = (data ?? {}) as { set?: unknown; order?: unknown; topics?: unknown };
  const written = {
    ...(typeof raw.set === 'string' && SET_ID.test(raw.set) ? { set: raw.set } : {}),
    ...(Number.isInteger(raw.order) ? { order: raw.order as number } : {}),
  };
  const source0 = problemSourceSchema.safeParse(data, { reportInput: true });
  const topics = Array.isArray(raw.topics) ? raw.topics.map(String) : undefined;
  const partial = { yaml, ...written, ...(topics ? { topics } : {}) };
  if (!source0.success) {
    for (const issue of fieldIssues(problemSourceSchema, source0.error.issues)) report(yaml.locate(issue.path), issue.message);
    names();
    return { diagnostics, ...partial };
  }
  const src = source0.data;

  // Names the frontmatter refers to: the model, the hardware, the parameters.
  let ok = true;
  if (typeof src.model === 'string' && !isOnnxPath(src.model) && !Object.hasOwn(BUILT_IN_MODELS, src.model)) {
    report(yaml.valueAt(['model']), `model: unknown model '${src.model}'${didYouMean(src.model, Object.keys(BUILT_IN_MODELS))}; built in: ${Object.keys(BUILT_IN_MODELS).join(', ')}`);
    ok = false;
  }
  for (const path of [['hardware'], ['given', 'hardware']]) {
    const id = path.length === 1 ? src.hardware : src.given.hardware;
    if (id !== undefined && !HARDWARE_PROFILE_IDS.includes(id)) {
      report(yaml.valueAt(path), `${path.join('.')}: unknown hardware profile '${id}'${didYouMean(id, HARDWARE_PROFILE_IDS)}; built in: ${HARDWARE_PROFILE_IDS.join(', ')}`);
      ok = false;
    }
  }
  const params = Object.keys(src.params ?? {});
  const refs = refsIn([src.model, src.given]);
  for (const ref of refs.filter((r) => !params.includes(r))) {
    const where = yaml.strings().find((s) => s.value === `$${ref}`)?.position;
    report(where, `"$${ref}": unknown parameter${didYouMean(ref, params)}${params.length ? `; params: ${params.join(', ')}` : '; declare it under `params`'}`);
    ok = false;
  }
  if (!ok) {
    names();
    return { diagnostics, ...partial };
  }

  // The space, the canonical values, the model.
  const parsed = problemSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) report(locateSpaceError(issue.message, yaml), issue.message);
    names();
    return { diagnostics, ...partial };
  }
  const problem = parsed.data;
  let ctx: ProblemContext;
  let spec: ProblemSpec;
  try {
    // A model file (./models/net.onnx) is beside the problem, wherever the course is.
    const builtIns = builtInsFor(problem, body, file, dirname(path));
    const model = resolveModel(problem.model, modelsFor(problem.model, file, dirname(path)), file);
    ctx = solve(model, problem.given, undefined, { ...problem, hardwareProfiles: BUILT_IN_HARDWARE });
    const id = mdxId(path, problemsDir(root));
    // Unknown answer names are reported at their tags below.
    const asked = tags.some((t) => (t.name === 'Answer' || t.name === 'Value') && typeof literalOf(t.props.find((p) => p.name === 'of')) === 'string' && !isAnswerName(literalOf(t.props.find((p) => p.name === 'of')) as string));
    // A body that does not parse or holds code is reported above; its figures are not read.
    spec = { id, file, data: problem, answers: asked || !bodyOk ? [] : figuresAsked(body, file), ...builtIns };
  } catch (error) {
    // The body's figures (publish/document.ts) name their tag's line in the body: `file:18: <Choice ...>`.
    const inBody = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+): `).exec((error as Error).message);
    if (error instanceof ModelError) report(...modelDiagnostic(error, yaml));
    else if (inBody) {
      const line = Number(inBody[1]) + bodyLine - 1;
      report(tags.find((t) => t.position.line === line)?.position ?? { line, column: 1 }, (error as Error).message.slice(inBody[0].length));
    } else report(yaml.locate(['model']), stripFile((error as Error).message, file));
    names();
    return { diagnostics, data: problem, ...partial };
  }

  // Every component of the body, solved as the page will solve it.
  for (const tag of tags) checkTag(tag, ctx, problem, file, report);

  // A light sample of variants: the space must give them.
  if (isRandomized(problem) && diagnostics.length === 0) {
    // Practice seeds 0..N, and a graded draw or two (handouts, quizzes): both halves of the space
    // must hold variants (variants/space.ts, valuesDomain).
    const draws = [...Array.from({ length: seeds + 1 }, (_, seed) => ({ seed, domain: 'practice' as const })), { seed: 1, domain: 'graded' as const }, { seed: 2, domain: 'graded' as const }];
    for (const { seed, domain } of draws) {
      try {
        variantOf(spec, seed, { domain });
      } catch (error) {
        const message = stripFile((error as Error).message, file).replace(new RegExp(`^${spec.id}: `), '');
        report(locateSpaceError(message, yaml) ?? yaml.locate(['params']), message);
        break;
      }
    }
  }
  return { diagnostics, data: problem, ...partial };
}

/** `params.n0: ...`, `constraints[1]: ...`, `... the constraint 'h2 <= h1'`: the field's line. */
function locateSpaceError(message: string, yaml: LocatedYaml): Position | undefined {
  const param = /^params\.([A-Za-z_]\w*)/.exec(message);
  if (param) return yaml.locate(['params', param[1]!]);
  const index = /^constraints\[(\d+)\]/.exec(message);
  if (index) return yaml.valueAt(['constraints', Number(index[1])]);
  const rule = /constraint '([^']+)'|refused by '([^']+)'/.exec(message);
  if (rule) return yaml.strings().find((s) => s.value === (rule[1] ?? rule[2]))?.position ?? yaml.locate(['constraints']);
  if (/^(the default values|values )/.test(message)) return yaml.locate(['params']);
  return undefined;
}

/** A model's error at the layer's field: an unknown argument or layer type with the nearest name. */
function modelDiagnostic(error: ModelError, yaml: LocatedYaml): [Position | undefined, string] {
  // The layer by its index, or by its name in the frontmatter's `model.layers`.
  const layers = ((yaml.data as { model?: { layers?: unknown } })?.model?.layers ?? []) as { name?: unknown }[];
  const first = error.layerPath[0] ?? '';
  const named = Array.isArray(layers) ? layers.findIndex((l) => l && typeof l === 'object' && l.name === first) : -1;
  const index = named >= 0 ? named : /^\d+$/.test(first) ? Number(first) : undefined;
  const layerPath = index === undefined ? ['model'] : ['model', 'layers', index];
  const where = [error.model, ...error.layerPath].join(' > ');
  const argument = /unknown argument '([^']+)'; allowed: ([^;]+)/.exec(error.detail);
  if (argument) {
    const type = /^(\w+):/.exec(error.detail)?.[1];
    return [yaml.locate([...layerPath, argument[1]!]), `${where}: ${type ? `${type}: ` : ''}unknown argument '${argument[1]}'${didYouMean(argument[1]!, argument[2]!.split(', '))}; allowed: ${argument[2]}`];
  }
  const type = /unknown layer type '([^']+)'; allowed: ([^;]+)/.exec(error.detail);
  if (type) return [yaml.valueAt([...layerPath, 'type']), `${where}: unknown layer type '${type[1]}'${didYouMean(type[1]!, type[2]!.split(', '))}`];
  return [yaml.locate(layerPath), `${where}: ${error.detail}`];
}

/** "paramByte: unknown answer; did you mean paramBytes?", or the list when nothing is near. */
function unknownAnswer(name: string): string {
  const near = didYouMean(name, ANSWER_NAMES);
  return `${name}: unknown answer${near || `; answers: ${ANSWER_NAMES.join(', ')}`}`;
}

type Report = (where: Position | undefined, message: string) => void;

const literalOf = (p: TagProp | undefined): unknown => (p?.value && 'literal' in p.value ? p.value.literal : undefined);
const isExpression = (p: TagProp | undefined) => p?.value !== undefined && 'expression' in p.value;

/** The props an answer component takes. */
function propsOf(component: string): readonly string[] {
  if (component === 'Choice') return CHOICE_PROPS;
  return [...(component === 'Answer' ? ANSWER_OWN_PROPS : ['of']), ...ANSWER_PROP_NAMES];
}

/** Unknown components, answer names and props: what can be checked without solving. */
function checkTagNames(tags: readonly Tag[], report: Report): void {
  for (const tag of tags) {
    if (!COMPONENTS.includes(tag.name)) {
      report(tag.position, `<${tag.name}>: unknown component${didYouMean(tag.name, COMPONENTS)}; components: ${COMPONENTS.join(', ')}`);
      continue;
    }
    if (tag.name === 'Answer' || tag.name === 'Value' || tag.name === 'Choice') {
      const of = tag.props.find((p) => p.name === 'of');
      const name = literalOf(of);
      if (typeof name === 'string' && !isAnswerName(name)) report(of!.position, unknownAnswer(name));
      else if (typeof name === 'string') {
        const allowed = propsOf(tag.name);
        for (const p of tag.props) if (!allowed.includes(p.name)) report(p.position, `<${tag.name} of="${name}">: unknown prop '${p.name}'${didYouMean(p.name, allowed)}`);
      }
    }
  }
}

function checkTag(tag: Tag, ctx: ProblemContext, problem: ProblemData, file: string, report: Report): void {
  const prop = (name: string) => tag.props.find((p) => p.name === name);
  if (!COMPONENTS.includes(tag.name)) return checkTagNames([tag], report);
  // An expression the checker cannot read is left to the build.
  if (tag.props.some(isExpression)) return;
  const raw = Object.fromEntries(tag.props.map((p) => [p.name, literalOf(p) ?? true]));
  switch (tag.name) {
    case 'Answer':
    case 'Value':
    case 'Choice': {
      const of = prop('of');
      const name = literalOf(of);
      if (typeof name !== 'string') return report(tag.position, `<${tag.name}>: needs of="..." naming an answer`);
      if (!isAnswerName(name)) return report(of!.position, unknownAnswer(name));
      const allowed = propsOf(tag.name);
      let bad = false;
      for (const p of tag.props) {
        if (!allowed.includes(p.name)) {
          report(p.position, `<${tag.name} of="${name}">: unknown prop '${p.name}'${didYouMean(p.name, allowed)}`);
          bad = true;
        }
      }
      if (bad) return;
      const { of: _of, expect, title: _title, ...select } = raw;
      if (tag.name !== 'Choice') {
        // Prop values against their schema, with the nearest allowed value (profile="thopp").
        const props = answerPropsSchema.safeParse(select, { reportInput: true });
        if (!props.success) {
          for (const issue of fieldIssues(answerPropsSchema, props.error.issues)) report(prop(String(issue.path[0]))?.position ?? tag.position, `<${tag.name} of="${name}">: ${issue.message}`);
          return;
        }
      }
      const layer = select.layer;
      if (typeof layer === 'string' && !ctx.report.layers.some((r) => r.layer.id === layer)) {
        const ids = ctx.report.layers.map((r) => r.layer.id);
        return report(prop('layer')!.position, `<${tag.name} of="${name}">: layer '${layer}' is not in ${ctx.model.name}${didYouMean(layer, ids)}`);
      }
      const hw = select.hardware;
      if (typeof hw === 'string' && !HARDWARE_PROFILE_IDS.includes(hw)) {
        return report(prop('hardware')!.position, `<${tag.name} of="${name}">: unknown hardware profile '${hw}'${didYouMean(hw, HARDWARE_PROFILE_IDS)}`);
      }
      try {
        if (tag.name === 'Choice') {
          const { pick, ratio, options } = select as { pick?: unknown; ratio?: unknown; options?: unknown };
          if ((pick === undefined) === (ratio === undefined)) return report(tag.position, `<Choice of="${name}">: give either pick="max" / pick="min" or ratio={...}`);
          if (pick !== undefined && pick !== 'max' && pick !== 'min') return report(prop('pick')!.position, `<Choice of="${name}">: pick="${String(pick)}"; allowed: max, min`);
          if (!Array.isArray(options)) return report(tag.position, `<Choice of="${name}">: needs options={[...]}: layer ids, or { label, ...answer props }`);
          const how: ChoicePick = ratio !== undefined ? { ratio: Number(ratio) } : (pick as 'max' | 'min');
          const result = choiceAnswer(ctx, name, how, options as ChoiceOption[], file);
          const right = result.labels[result.index];
          if (expect !== undefined && expect !== right) report(prop('expect')!.position, `<Choice of="${name}" expect="${String(expect)}">: the author expects '${String(expect)}' but the engine picks '${right}'`);
          return;
        }
        const figure = answerFigure(ctx, name, file, select);
        if (tag.name !== 'Answer' || expect === undefined) return;
        if (isDecision(name)) {
          const { yes } = answerDecision(ctx, name, file, select);
          if (expect !== yes) report(prop('expect')!.position, `<Answer of="${name}" expect={${String(expect)}}>: the author expects ${expect ? 'yes' : 'no'} but the engine answers ${yes ? 'yes' : 'no'}`);
        } else if (typeof expect === 'number') {
          // Not finite: reported with the body (body.ts).
          if (Number.isFinite(expect)) checkExpected(figure, expect, name, file);
        } else report(prop('expect')!.position, `<Answer of="${name}">: expect={...} is a number${isDecision(name) ? ' (true or false for a yes/no answer)' : ''}`);
      } catch (error) {
        report(prop('expect') && /expects/.test((error as Error).message) ? prop('expect')!.position : tag.position, stripFile((error as Error).message, file));
      }
      return;
    }
    case 'Given': {
      if (unknownProps(tag, ['name', 'noun', 'plural'], report)) return;
      const name = raw.name;
      if (typeof name !== 'string') return report(tag.position, '<Given>: needs name="..." naming a given or a parameter');
      const given = Object.keys(ctx.given).filter((k) => (ctx.given as Record<string, unknown>)[k] !== undefined);
      const names = [...given, ...Object.keys(problem.variation?.params ?? {})];
      if (!names.includes(name)) report(prop('name')!.position, `<Given name="${name}">: not given in the frontmatter${didYouMean(name, names)}; given: ${names.join(', ') || 'nothing'}`);
      return;
    }
    case 'FigureTable': {
      const id = raw.id;
      if (typeof id !== 'string') return report(tag.position, '<FigureTable>: needs id="..." naming a table of the frontmatter');
      const ids = Object.keys(problem.tables ?? {});
      if (!ids.includes(id)) return report(prop('id')!.position, `<FigureTable id="${id}">: no such table in the frontmatter's \`tables\`${didYouMean(id, ids)}; tables: ${ids.join(', ') || 'none'}`);
      try {
        solveTable(ctx, id, file);
      } catch (error) {
        report(tag.position, stripFile((error as Error).message, file));
      }
      return;
    }
    case 'GemmTable': {
      if (unknownProps(tag, ['block', 'batch'], report)) return;
      const block = raw.block;
      if (typeof block !== 'string') return report(tag.position, '<GemmTable>: needs block="..." naming a block of the model (a dotted prefix of layer ids, e.g. encoder.layer.0)');
      const batch = raw.batch;
      if (batch !== undefined && (typeof batch !== 'number' || !Number.isInteger(batch) || batch < 1)) return report(prop('batch')!.position, `<GemmTable block="${block}"> batch={${String(batch)}}: a whole number of samples, 1 or more`);
      try {
        // As the component reads it (components/authoring/GemmTable.astro).
        gemmsOf(ctx.model, block, batch ?? ctx.report.batch);
      } catch (error) {
        report(prop('block')!.position, `<GemmTable block="${block}">: ${stripFile((error as Error).message, file)}`);
      }
      return;
    }
    case 'Question': {
      if (unknownProps(tag, ['label'], report)) return;
      if (typeof raw.label !== 'string' || raw.label.trim() === '') report(prop('label')?.position ?? tag.position, '<Question> needs a non-empty label, e.g. <Question label="a">');
      return;
    }
    case 'Network':
      unknownProps(tag, ['inline'], report);
      return;
    case 'Errata':
      unknownProps(tag, ['student'], report);
      return;
    default:
      return;
  }
}

/** A prop the component does not take (a typo, most often): at the prop, with the nearest. */
function unknownProps(tag: Tag, allowed: readonly string[], report: Report): boolean {
  const unknown = tag.props.filter((p) => !allowed.includes(p.name));
  for (const p of unknown) report(p.position, `<${tag.name}>: unknown prop '${p.name}'${didYouMean(p.name, allowed)}; props: ${allowed.join(', ')}`);
  return unknown.length > 0;
}
