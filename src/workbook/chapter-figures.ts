/**
 * What the chapter components compute (Example, LayerFormulas, LlmCalculators), as functions of
 * their props: the component renders the result, and `workbook check` runs the same function on
 * an element whose props are literals, so a prop the component cannot use is an error at the
 * element's line before the build (and, for props the check cannot read, at the same line from the
 * build: site/component-at.ts). Messages name the element and the prop, in the author's terms.
 */
import { analyze, defineModel, type LayerDef, type LayerReport } from '../engine/index.ts';
import { llmAnalysis, type LlmAnalysis } from '../engine/llm/analysis.ts';
import { llmOnHardware } from '../engine/llm/hardware.ts';
import { llmCalculatorProfiles } from '../engine/llm/calculators/index.ts';
import { importOfModel } from '../engine/hf/from-model.ts';
import type { HardwareProfile } from '../engine/index.ts';
import type { z } from '../engine/schema.ts';
import { ANSWER_KINDS, answerFigure, isAnswerName, solve } from './answers.ts';
import { llmOptions } from './answers-llm.ts';
import { BUILT_IN_HARDWARE, BUILT_IN_MODELS } from './builtins.ts';
import { didYouMean } from './check/diagnostics.ts';
import { fieldIssues } from './check/zod.ts';
import { resolveModel } from './models.ts';
import { givenSchema, problemModelSchema, type Given } from './problem.ts';

/** zod's complaints about one prop, on one line: `given.paramBits: ...; ...`. */
function badProp(where: string, prop: string, schema: z.core.$ZodType, error: { issues: z.core.$ZodIssue[] }): Error {
  const issues = fieldIssues(schema, error.issues, [prop]).map((i) => i.message);
  return new Error(`${where}: ${issues.join('; ') || `${prop}: not valid`}`);
}

export function exampleFigure(props: { model?: unknown; of?: unknown; given?: unknown; title?: unknown }) {
  const of = typeof props.of === 'string' ? props.of : undefined;
  const where = `<Example of="${of ?? ''}">`;
  if (of === undefined) throw new Error(`<Example>: of is missing: the figure to show, e.g. of="params"`);
  if (props.model === undefined) throw new Error(`${where}: model is missing: a built-in id, widths ({{ mlp: [784, 100, 10] }}) or a definition`);
  const model = problemModelSchema.safeParse(props.model, { reportInput: true });
  if (!model.success) throw badProp(where, 'model', problemModelSchema, model.error);
  const given = givenSchema.safeParse(props.given ?? {}, { reportInput: true });
  if (!given.success) throw badProp(where, 'given', givenSchema, given.error);
  // Built-in hardware too: a chapter's example may put a model on a device (`given={{ hardware: ... }}`).
  const ctx = solve(resolveModel(model.data, BUILT_IN_MODELS), given.data, undefined, { hardwareProfiles: BUILT_IN_HARDWARE });
  const figure = answerFigure(ctx, of, where);
  const heading = typeof props.title === 'string' ? props.title : isAnswerName(of) ? ANSWER_KINDS[of].title : of;
  return { figure, heading };
}

export function layerFormulasReport(props: { layer?: unknown; input?: unknown }): LayerReport {
  const layer = props.layer as LayerDef | undefined;
  const where = `<LayerFormulas${layer && typeof layer === 'object' && typeof layer.type === 'string' ? ` layer={{ type: "${layer.type}" }}` : ''}>`;
  if (!layer || typeof layer !== 'object' || Array.isArray(layer)) throw new Error(`${where}: layer is missing: one layer, e.g. layer={{ type: "Linear", out_features: 100 }}`);
  if (!Array.isArray(props.input)) throw new Error(`${where}: input is missing: the example's input shape per sample, e.g. input={[784]}`);
  try {
    const model = defineModel({ name: `example ${String(layer.type)}`, input: props.input as number[], layers: [layer] });
    return analyze(model).layers[0]!;
  } catch (error) {
    // The engine names the model and the layer's path ("example Linear > 0: Linear: ..."): here, the element does.
    throw new Error(`${where}: ${(error as Error).message.replace(/^example [^>]* > (\d+: )?/, '')}`);
  }
}

export function llmCalculatorsTable(props: { model?: unknown; hardware?: unknown; given?: unknown }): {
  llm: LlmAnalysis;
  device: HardwareProfile;
  hw: ReturnType<typeof llmOnHardware>;
  calculators: ReturnType<typeof llmCalculatorProfiles>;
} {
  const { model, hardware } = props;
  const where = `<LlmCalculators model="${String(model ?? '')}" hardware="${String(hardware ?? '')}">`;
  if (typeof model !== 'string') throw new Error(`${where}: model is missing: a built-in language model's id, e.g. model="llama-2-7b"`);
  if (typeof hardware !== 'string') throw new Error(`${where}: hardware is missing: a built-in hardware profile's id, e.g. hardware="nvidia-a100-sxm4-80gb"`);
  const given = givenSchema.safeParse(props.given ?? {}, { reportInput: true });
  if (!given.success) throw badProp(where, 'given', givenSchema, given.error);
  const device = Object.hasOwn(BUILT_IN_HARDWARE, hardware) ? BUILT_IN_HARDWARE[hardware] : undefined;
  if (!device) throw new Error(`${where}: unknown hardware profile${didYouMean(hardware, Object.keys(BUILT_IN_HARDWARE))}`);
  try {
    const llm = llmAnalysis(importOfModel(resolveModel(model, BUILT_IN_MODELS)), llmOptions(given.data as Given));
    return { llm, device, hw: llmOnHardware(llm, device), calculators: llmCalculatorProfiles(llm, device) };
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
}

/** Each chapter component's computation, by the component's name (check runs these). */
export const CHAPTER_FIGURES: Readonly<Record<string, (props: Record<string, unknown>) => unknown>> = {
  Example: exampleFigure,
  LayerFormulas: layerFormulasReport,
  LlmCalculators: llmCalculatorsTable,
};
