/**
 * Everything a model page shows, computed once per model at build time from the engine: the
 * report at fp32 (and the model size at int8), the counting profiles side by side with why they
 * differ, the block diagram, the per-layer chart and the roofline on one hardware profile.
 */
import {
  analyze,
  compareProfiles,
  defineModel,
  formatNumber,
  formatShape,
  hardwareProfile,
  roofline,
  rooflineChartData,
  zooEntry,
  type BlockNode,
  type HardwareProfile,
  type LayerReport,
  type Model,
  type ModelReport,
  type ProfileTotals,
  type RooflineChartData,
  type ZooEntry,
} from '../engine/index.ts';
import { layerChart, type LayerChart } from './charts/layer-chart.ts';
import { rooflineChart, type RooflineChart } from './charts/roofline-chart.ts';

/** The hardware the model pages draw the roofline for: a desktop CPU, as in Lab 1. */
export const ROOFLINE_HARDWARE = 'ryzen-9-5950x';

/** What a model page says of its model besides the figures: a built-in's zoo entry, or a course's own model. */
export type ModelPageEntry = Pick<ZooEntry, 'id' | 'description' | 'source'> & { readonly defaults: { readonly seq?: number } };

export interface ModelPage {
  readonly entry: ModelPageEntry;
  readonly model: Model;
  /** Batch 1, fp32 parameters and activations, the standard conventions. */
  readonly report: ModelReport;
  /** The parameter bytes at int8 (8-bit weights and biases). */
  readonly int8Bytes: number;
  readonly profiles: readonly ProfileTotals[];
  /** Why the profiles' totals differ from the standard one, a sentence each, from the engine's counts. */
  readonly differences: readonly string[];
  /** Each tool's count, what it prints, and its difference from the standard count term by term. */
  readonly tools: readonly ToolDifference[];
  readonly diagram: readonly DiagramNode[];
  readonly chart: LayerChart;
  /** The chart position (1, 2, ...) of each layer with weights or MACs, by layer id. */
  readonly chartIndex: ReadonlyMap<string, number>;
  readonly roofline: { readonly hardware: HardwareProfile; readonly data: RooflineChartData; readonly chart: RooflineChart; readonly latencyMs: number; readonly bound: string };
}

const cache = new Map<string, ModelPage>();

/** The page of a built-in model by id, or of a course's own model (src/site/course-models.ts). */
export function modelPage(of: string | (ModelPageEntry & { model(): Model })): ModelPage {
  const id = typeof of === 'string' ? of : of.id;
  const cached = cache.get(id);
  if (cached) return cached;
  const zoo = typeof of === 'string' ? zooEntry(of) : undefined;
  if (typeof of === 'string' && !zoo) throw new Error(`modelPage: no zoo model '${id}'`);
  const entry: ModelPageEntry = zoo ?? (of as ModelPageEntry);
  const model = zoo ? defineModel(zoo.def) : (of as { model(): Model }).model();
  const report = analyze(model, { paramBits: 32 });
  const int8Bytes = analyze(model, { paramBits: 8 }).totals.paramBytes.value;
  const profiles = compareProfiles(model);
  const chart = layerChart(report);
  const hardware = hardwareProfile(ROOFLINE_HARDWARE);
  const rl = roofline(report, hardware);
  const data = rooflineChartData(rl);
  const page: ModelPage = {
    entry,
    model,
    report,
    int8Bytes,
    profiles,
    differences: differences(profiles.filter((p) => !p.profile.counter || p.profile.id === 'thop')),
    tools: toolDifferences(profiles),
    diagram: diagramOf(model.tree, report, true),
    chart,
    chartIndex: new Map(chart.bars.map((b) => [b.id, b.n])),
    roofline: { hardware, data, chart: rooflineChart(data, model.name), latencyMs: rl.totals.latencyMs.value, bound: rl.totals.bound },
  };
  cache.set(id, page);
  return page;
}

// ---- why the totals differ ---------------------------------------------------------------------

const WHY: Record<string, string> = {
  BatchNorm2d: 'BatchNorm, 2 per element (4 with its scale and shift)',
  BatchNorm1d: 'BatchNorm, 2 per element (4 with its scale and shift)',
  LayerNorm: 'LayerNorm, 4 per element',
  GroupNorm: 'GroupNorm, 4 per element',
  AdaptiveAvgPool2d: 'adaptive average pooling, window + 1 per output',
  AdaptiveAvgPool1d: 'adaptive average pooling, window + 1 per output',
  AvgPool2d: 'average pooling, 1 per output',
  Softmax: 'Softmax modules, 3n − 1 per row of n',
  MultiheadAttention: 'attention (BertSelfAttention: its torch.matmul calls; nn.MultiheadAttention: its own rule in each tool)',
};

function signed(n: number): string {
  return `${n > 0 ? '+' : '−'}${formatNumber(Math.abs(n))}`;
}

export interface ToolDifference {
  readonly id: string;
  readonly label: string;
  /** `4,133,742,592 MACs = 4,089,184,256 standard + 44,558,336`. */
  readonly summary: string;
  /** What the tool prints, in its units and rounding. */
  readonly prints: readonly string[];
  /** The difference's terms, each with its derivation; they add up to it. */
  readonly terms: readonly string[];
}

/** Each tool's difference from the standard count, from the engine's terms. */
function toolDifferences(profiles: readonly ProfileTotals[]): ToolDifference[] {
  return profiles.flatMap((p) => {
    if (!p.profile.counter) return [];
    const d = p.compute.value - p.standard.value;
    const summary =
      d === 0
        ? `${formatNumber(p.compute.value)} ${p.profile.unit}: the standard count`
        : `${formatNumber(p.compute.value)} ${p.profile.unit} = ${formatNumber(p.standard.value)} standard MACs ${d < 0 ? '−' : '+'} ${formatNumber(Math.abs(d))}`;
    return [{ id: p.profile.id, label: p.profile.label, summary, prints: p.headline, terms: p.terms.map((t) => t.text) }];
  });
}

/** One sentence per profile that differs from the standard count, with the differences by layer kind. */
function differences(profiles: readonly ProfileTotals[]): string[] {
  const standard = profiles.find((p) => p.profile.id === 'standard')!;
  const out: string[] = [];
  for (const p of profiles) {
    if (p.profile.id === 'standard') continue;
    const parts: string[] = [];
    if (p.profile.unit === 'MACs') {
      const byType = new Map<string, number>();
      p.layerCompute.forEach((f, i) => {
        const d = f.value - standard.layerCompute[i]!.value;
        if (d !== 0) {
          const type = p.report.layers[i]!.layer.type;
          byType.set(type, (byType.get(type) ?? 0) + d);
        }
      });
      for (const [type, d] of byType) parts.push(`${signed(d)} from ${WHY[type] ?? type}`);
      const dParams = p.params.value - standard.params.value;
      const compute = p.compute.value === standard.compute.value ? 'the same MACs' : `${formatNumber(p.compute.value)} MACs (${parts.join('; ')})`;
      const params = dParams === 0 ? 'the same parameters' : `${formatNumber(p.params.value)} parameters (${signed(dParams)}: ${dParams < 0 ? 'biases left out' : 'more'})`;
      const acts = p.activations.value === standard.activations.value ? '' : `, and ${formatNumber(p.activations.value)} activations (the input counted)`;
      out.push(`${p.profile.label}: ${compute}, ${params}${acts}.`);
    } else {
      const ratio = p.compute.value / standard.compute.value;
      out.push(
        `${p.profile.label}: ${formatNumber(p.compute.value)} operations, not MACs (${ratio.toFixed(2)} × the MAC count): ${p.profile.includes.join('; ')}.`,
      );
    }
  }
  return out;
}

// ---- the block diagram -------------------------------------------------------------------------

/** Layers drawn as a tag on the layer before them: elementwise, no change of shape. */
const TAG_TYPES = new Set(['BatchNorm1d', 'BatchNorm2d', 'LayerNorm', 'GroupNorm', 'ReLU', 'ReLU6', 'GELU', 'SiLU', 'Sigmoid', 'Tanh', 'Hardswish', 'Hardsigmoid', 'LeakyReLU', 'PReLU', 'Identity', 'StochasticDepth', 'Dropout', 'Softmax']);

export interface DiagramLayer {
  readonly kind: 'layer';
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly label: string;
  readonly output: string;
  readonly params: number;
  /** Elementwise layers that follow it: `BatchNorm2d`, `ReLU`. */
  readonly tags: readonly { readonly name: string; readonly type: string; readonly label: string }[];
}

export interface DiagramBlock {
  readonly kind: 'block';
  readonly block: 'Sequential' | 'Repeat' | 'Residual' | 'Parallel';
  readonly id: string;
  readonly name: string;
  readonly output: string;
  readonly params: number;
  readonly layers: number;
  readonly open: boolean;
  readonly children: readonly DiagramNode[];
  /** Residual: the shortcut's layers (empty: identity). Parallel: one list per branch. */
  readonly shortcut?: readonly DiagramNode[];
  readonly branches?: readonly (readonly DiagramNode[])[];
  /** The join (Add, Concat) and what follows it. */
  readonly join?: DiagramLayer;
  readonly after?: readonly DiagramNode[];
}

export type DiagramNode = DiagramLayer | DiagramBlock;

function leafIndices(node: BlockNode): number[] {
  switch (node.kind) {
    case 'layer':
      return [node.index];
    case 'Sequential':
    case 'Repeat':
      return node.children.flatMap(leafIndices);
    case 'Residual':
      return [...node.body, ...node.shortcut, node.join, ...node.after].flatMap(leafIndices);
    case 'Parallel':
      return [...node.branches.flat(), node.join, ...node.after].flatMap(leafIndices);
  }
}

function layerNode(r: LayerReport, base: readonly string[] = []): DiagramLayer {
  const relative = r.layer.path.slice(base.length).join('.') || r.layer.name;
  return { kind: 'layer', id: r.layer.id, name: relative, type: r.layer.type, label: r.layer.label, output: formatShape(r.layer.outputShape), params: r.params.value, tags: [] };
}

/**
 * A list of nodes, elementwise layers folded into the layer before them; layers are named by
 * their path below `base` (`conv1`, `downsample.0`).
 */
function listOf(nodes: readonly BlockNode[], report: ModelReport, base: readonly string[]): DiagramNode[] {
  const out: DiagramNode[] = [];
  for (const node of nodes) {
    if (node.kind === 'layer') {
      const r = report.layers[node.index]!;
      const prev = out[out.length - 1];
      if (TAG_TYPES.has(r.layer.type) && prev?.kind === 'layer') {
        out[out.length - 1] = { ...prev, params: prev.params + r.params.value, tags: [...prev.tags, { name: r.layer.name, type: r.layer.type, label: r.layer.label }] };
      } else {
        out.push(layerNode(r, base));
      }
    } else {
      out.push(...diagramOf(node, report, false, base));
    }
  }
  return out;
}

function diagramOf(node: BlockNode, report: ModelReport, top: boolean, base: readonly string[] = []): DiagramNode[] {
  if (node.kind === 'layer') return [layerNode(report.layers[node.index]!, base)];
  if (top) return listOf(node.kind === 'Sequential' || node.kind === 'Repeat' ? node.children : [node], report, []);
  const leaves = leafIndices(node);
  const last = report.layers[Math.max(...leaves)]!;
  const block = {
    kind: 'block' as const,
    block: node.kind,
    id: node.path.join('.'),
    name: node.name,
    output: formatShape(last.layer.outputShape),
    params: leaves.reduce((acc, i) => acc + report.layers[i]!.params.value, 0),
    layers: leaves.length,
    // Top-level blocks and short ones open; long nested ones (a stage of many blocks) closed.
    open: base.length === 0 || leaves.length <= 16,
  };
  switch (node.kind) {
    case 'Sequential':
    case 'Repeat': {
      const children = listOf(node.children, report, node.path);
      // A sequence of one thing is drawn as that thing: torchvision's Conv2dNormActivation
      // (conv + BN + ReLU6) is one layer with tags; MobileNetV2's features.2 wraps one `conv` block.
      // Repeated copies: the first open, the others folded.
      if (node.kind === 'Repeat') children.forEach((c, i) => { if (i > 0 && c.kind === 'block') children[i] = { ...c, open: false }; });
      if (children.length === 1) {
        const only = children[0]!;
        return [only.kind === 'layer' ? { ...only, name: only.id.split('.').slice(base.length).join('.') } : only];
      }
      return [{ ...block, children }];
    }
    case 'Residual': {
      const [join, ...after] = listOf([node.join, ...node.after], report, node.path);
      return [{ ...block, children: listOf(node.body, report, node.path), shortcut: listOf(node.shortcut, report, node.path), join: join as DiagramLayer, after }];
    }
    case 'Parallel': {
      const [join, ...after] = listOf([node.join, ...node.after], report, node.path);
      return [{ ...block, children: [], branches: node.branches.map((b) => listOf(b, report, node.path)), join: join as DiagramLayer, after }];
    }
  }
}
