/**
 * The attributes of each op the importer translates, as ONNX's operator schemas define them, and
 * the check every node's attributes pass before anything reads them: each attribute is one the op
 * has at the file's opset, of the schema's type (an INT is not an INTS), and in range (a kernel of
 * at least 1, an `auto_pad` ONNX names, a flag of 0 or 1). An attribute that is not is an error
 * naming the node, the op, the attribute and its value, never a default taken in silence.
 *
 * The versions and attribute names are ONNX's (docs/Changelog.md of onnx/onnx at commit
 * f7546912001b, opsets up to 21; each op's version in force at opset 11 and every later one whose
 * attributes changed). The types and ranges are read from the same pages (docs/Operators.md).
 */
import { AttributeProto_AttributeType as A, type AttributeProto } from './proto/onnx_pb.ts';

/** Each op's versions as `[since_version, attributes]`; `!` marks a required attribute. */
const OP_VERSIONS: Readonly<Record<string, readonly (readonly [number, string])[]>> = {
  Conv: [[11, 'auto_pad dilations group kernel_shape pads strides']],
  ConvTranspose: [[11, 'auto_pad dilations group kernel_shape output_padding output_shape pads strides']],
  MaxPool: [[11, 'auto_pad ceil_mode dilations kernel_shape! pads storage_order strides']],
  AveragePool: [[11, 'auto_pad ceil_mode count_include_pad kernel_shape! pads strides'], [19, 'auto_pad ceil_mode count_include_pad dilations kernel_shape! pads strides']],
  GlobalAveragePool: [[1, '']],
  BatchNormalization: [[9, 'epsilon momentum'], [14, 'epsilon momentum training_mode']],
  LayerNormalization: [[17, 'axis epsilon stash_type']],
  Gemm: [[11, 'alpha beta transA transB']],
  MatMul: [[9, '']],
  Add: [[7, '']],
  Sub: [[7, '']],
  Mul: [[7, '']],
  Div: [[7, '']],
  Pow: [[7, '']],
  Sqrt: [[6, '']],
  Erf: [[9, '']],
  Exp: [[6, '']],
  Neg: [[6, '']],
  Abs: [[6, '']],
  Reciprocal: [[6, '']],
  Relu: [[6, '']],
  Clip: [[11, '']],
  Sigmoid: [[6, '']],
  Tanh: [[6, '']],
  HardSigmoid: [[6, 'alpha beta']],
  HardSwish: [[14, '']],
  LeakyRelu: [[6, 'alpha']],
  PRelu: [[9, '']],
  Gelu: [[20, 'approximate']],
  Softmax: [[11, 'axis']],
  ReduceMean: [[11, 'axes keepdims'], [18, 'keepdims noop_with_empty_axes']],
  Reshape: [[5, ''], [14, 'allowzero']],
  Flatten: [[11, 'axis']],
  Transpose: [[1, 'perm']],
  Gather: [[11, 'axis']],
  Squeeze: [[11, 'axes'], [13, '']],
  Unsqueeze: [[11, 'axes!'], [13, '']],
  Concat: [[11, 'axis!']],
  Resize: [
    [11, 'coordinate_transformation_mode cubic_coeff_a exclude_outside extrapolation_value mode nearest_mode'],
    [18, 'antialias axes coordinate_transformation_mode cubic_coeff_a exclude_outside extrapolation_value keep_aspect_ratio_policy mode nearest_mode'],
  ],
  Dropout: [[10, 'ratio'], [12, 'seed']],
  Identity: [[1, '']],
  Cast: [[9, 'to!'], [19, 'saturate to!']],
  Constant: [[11, 'sparse_value value'], [12, 'sparse_value value value_float value_floats value_int value_ints value_string value_strings']],
  Shape: [[1, ''], [15, 'end start']],
  ConstantOfShape: [[9, 'value']],
  Slice: [[11, '']],
  Split: [[11, 'axis split'], [13, 'axis'], [18, 'axis num_outputs']],
  LSTM: [
    [7, 'activation_alpha activation_beta activations clip direction hidden_size input_forget'],
    [14, 'activation_alpha activation_beta activations clip direction hidden_size input_forget layout'],
  ],
  GRU: [
    [7, 'activation_alpha activation_beta activations clip direction hidden_size linear_before_reset'],
    [14, 'activation_alpha activation_beta activations clip direction hidden_size layout linear_before_reset'],
  ],
  Pad: [[11, 'mode']],
  Expand: [[8, '']],
  Floor: [[6, '']],
  Ceil: [[6, '']],
};

type Kind = 'INT' | 'INTS' | 'FLOAT' | 'FLOATS' | 'STRING' | 'STRINGS' | 'TENSOR' | 'SPARSE_TENSOR';

interface Rule {
  readonly type: Kind;
  /** The values allowed (strings, or integers such as a flag's 0 and 1). */
  readonly oneOf?: readonly (string | number)[];
  /** The least value of an INT, of each entry of an INTS, or of a FLOAT. */
  readonly min?: number;
  /** A FLOAT strictly below this. */
  readonly below?: number;
}

const flag: Rule = { type: 'INT', oneOf: [0, 1] };
const finite: Rule = { type: 'FLOAT' };
/** ONNX's element types, 1 (FLOAT) to 26 (INT2): TensorProto.DataType. */
const ELEMENT_TYPES = Array.from({ length: 26 }, (_, i) => i + 1);

/** Rules by attribute name; `Op.name` where one op's attribute differs from the others'. */
const RULES: Readonly<Record<string, Rule>> = {
  auto_pad: { type: 'STRING', oneOf: ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'] },
  dilations: { type: 'INTS', min: 1 },
  strides: { type: 'INTS', min: 1 },
  kernel_shape: { type: 'INTS', min: 1 },
  pads: { type: 'INTS', min: 0 },
  output_padding: { type: 'INTS', min: 0 },
  output_shape: { type: 'INTS', min: 1 },
  group: { type: 'INT', min: 1 },
  ceil_mode: flag,
  count_include_pad: flag,
  storage_order: flag,
  transA: flag,
  transB: flag,
  keepdims: flag,
  noop_with_empty_axes: flag,
  allowzero: flag,
  training_mode: flag,
  input_forget: flag,
  linear_before_reset: flag,
  layout: flag,
  exclude_outside: flag,
  antialias: flag,
  saturate: flag,
  epsilon: { type: 'FLOAT', min: 0 },
  momentum: finite,
  alpha: finite,
  beta: finite,
  cubic_coeff_a: finite,
  extrapolation_value: finite,
  axis: { type: 'INT' },
  axes: { type: 'INTS' },
  perm: { type: 'INTS', min: 0 },
  approximate: { type: 'STRING', oneOf: ['none', 'tanh'] },
  'Pad.mode': { type: 'STRING', oneOf: ['constant', 'reflect', 'edge', 'wrap'] },
  'Resize.mode': { type: 'STRING', oneOf: ['nearest', 'linear', 'cubic'] },
  coordinate_transformation_mode: {
    type: 'STRING',
    oneOf: ['half_pixel', 'half_pixel_symmetric', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn', 'tf_crop_and_resize'],
  },
  nearest_mode: { type: 'STRING', oneOf: ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'] },
  keep_aspect_ratio_policy: { type: 'STRING', oneOf: ['stretch', 'not_larger', 'not_smaller'] },
  ratio: { type: 'FLOAT', min: 0, below: 1 },
  seed: { type: 'INT' },
  to: { type: 'INT', oneOf: ELEMENT_TYPES },
  stash_type: { type: 'INT', oneOf: ELEMENT_TYPES },
  value: { type: 'TENSOR' },
  sparse_value: { type: 'SPARSE_TENSOR' },
  value_float: finite,
  value_floats: { type: 'FLOATS' },
  value_int: { type: 'INT' },
  value_ints: { type: 'INTS' },
  value_string: { type: 'STRING' },
  value_strings: { type: 'STRINGS' },
  start: { type: 'INT' },
  end: { type: 'INT' },
  split: { type: 'INTS', min: 0 },
  num_outputs: { type: 'INT', min: 1 },
  activation_alpha: { type: 'FLOATS' },
  activation_beta: { type: 'FLOATS' },
  activations: { type: 'STRINGS' },
  clip: { type: 'FLOAT', min: 0 },
  direction: { type: 'STRING', oneOf: ['forward', 'reverse', 'bidirectional'] },
  hidden_size: { type: 'INT', min: 1 },
};

const KIND_OF: Readonly<Partial<Record<A, Kind>>> = {
  [A.INT]: 'INT',
  [A.INTS]: 'INTS',
  [A.FLOAT]: 'FLOAT',
  [A.FLOATS]: 'FLOATS',
  [A.STRING]: 'STRING',
  [A.STRINGS]: 'STRINGS',
  [A.TENSOR]: 'TENSOR',
  [A.SPARSE_TENSOR]: 'SPARSE_TENSOR',
};

const KIND_TEXT: Readonly<Record<Kind, string>> = {
  INT: 'an integer (INT)',
  INTS: 'a list of integers (INTS)',
  FLOAT: 'a number (FLOAT)',
  FLOATS: 'a list of numbers (FLOATS)',
  STRING: 'a string (STRING)',
  STRINGS: 'a list of strings (STRINGS)',
  TENSOR: 'a tensor (TENSOR)',
  SPARSE_TENSOR: 'a sparse tensor (SPARSE_TENSOR)',
};

/** The ops the schema table knows (every op the importer translates or folds). */
export const SCHEMA_OPS: ReadonlySet<string> = new Set(Object.keys(OP_VERSIONS));

/** The op's attributes at `opset` (name → required), or a reason it has none there (too early an opset). */
export function opAttributes(opType: string, opset: number): Map<string, boolean> | string | undefined {
  const versions = OP_VERSIONS[opType];
  if (!versions) return undefined;
  let current: string | undefined;
  for (const [since, names] of versions) if (since <= opset) current = names;
  if (current === undefined) return `${opType} is an op of opset ${versions[0]![0]} and later; this file imports opset ${opset}`;
  return new Map(current.split(' ').filter(Boolean).map((n) => [n.replace(/!$/, ''), n.endsWith('!')]));
}

const CUT = 8;
const list = (values: readonly (number | string)[]): string => `[${values.slice(0, CUT).join(', ')}${values.length > CUT ? `, … (${values.length} entries)` : ''}]`;
const decoder = new TextDecoder();
const str = (bytes: Uint8Array): string => `'${decoder.decode(bytes.subarray(0, 60)).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')}${bytes.length > 60 ? '…' : ''}'`;

/** The attribute's value as the file stores it, for a message: `[0, 0]`, `'WEIRD'`, `2.5`. */
export function attributeValueText(a: AttributeProto): string {
  switch (a.type) {
    case A.INT: return String(a.i);
    case A.INTS: return list(a.ints.map(String));
    case A.FLOAT: return String(a.f);
    case A.FLOATS: return list(a.floats.map(String));
    case A.STRING: return str(a.s);
    case A.STRINGS: return list(a.strings.map(str));
    case A.TENSOR: return a.t ? `a tensor (data_type ${a.t.dataType}, shape ${a.t.dims.join('×') || '()'})` : 'a tensor';
    case A.SPARSE_TENSOR: return 'a sparse tensor';
    case A.GRAPH: case A.GRAPHS: return 'a graph';
    default: return `of type ${a.type}`;
  }
}

/** Why one attribute breaks its rule, or undefined. */
function breach(opType: string, a: AttributeProto, rule: Rule): string | undefined {
  const given = KIND_OF[a.type];
  if (given !== rule.type) return `is ${given ? KIND_TEXT[given] : `of type ${a.type}`}; ${opType}'s ${a.name} is ${KIND_TEXT[rule.type]}`;
  const { oneOf, min, below } = rule;
  if (rule.type === 'INT' || rule.type === 'INTS') {
    const values = rule.type === 'INT' ? [a.i] : a.ints;
    for (const v of values) {
      const n = Number(v);
      if (!Number.isSafeInteger(n)) return `holds ${v}, beyond exact integers`;
      if (oneOf && !oneOf.includes(n)) return `is not one of ${oneOf.length > 6 ? `${oneOf[0]} to ${oneOf[oneOf.length - 1]}` : oneOf.join(', ')}`;
      if (min !== undefined && n < min) return rule.type === 'INT' ? `is below ${min}; it is at least ${min}` : `holds ${n}; each entry is at least ${min}`;
    }
  }
  if (rule.type === 'FLOAT') {
    if (!Number.isFinite(a.f)) return 'is not a finite number';
    if (min !== undefined && a.f < min) return `is below ${min}`;
    if (below !== undefined && a.f >= below) return `is not below ${below}`;
  }
  if (rule.type === 'FLOATS' && a.floats.some((f) => !Number.isFinite(f))) return 'holds a number that is not finite';
  if (rule.type === 'TENSOR' && a.t && !ELEMENT_TYPES.includes(a.t.dataType)) return 'is of no ONNX element type (data_type 1 FLOAT to 26 INT2)';
  if (rule.type === 'STRING' && oneOf) {
    const text = decoder.decode(a.s);
    if (!oneOf.includes(text)) return `is not one of ${oneOf.map((o) => `'${o}'`).join(', ')}`;
  }
  return undefined;
}

/**
 * Why a node's attributes break its op's schema at `opset`, naming the attribute and its value,
 * or undefined (also for an op the table does not know: the translation says it is not counted).
 */
export function attributeProblem(opType: string, attrs: readonly AttributeProto[], opset: number): string | undefined {
  const known = opAttributes(opType, opset);
  if (known === undefined) return undefined;
  if (typeof known === 'string') return known;
  const seen = new Set<string>();
  for (const a of attrs) {
    if (seen.has(a.name)) return `attribute ${a.name} is given twice`;
    seen.add(a.name);
    if (!known.has(a.name)) {
      const names = [...known.keys()];
      return `attribute ${a.name} = ${attributeValueText(a)} is not one of ${opType}'s at opset ${opset} (${names.length ? names.join(', ') : 'it has none'})`;
    }
    const rule = RULES[`${opType}.${a.name}`] ?? RULES[a.name];
    if (rule && a.type === A.UNDEFINED) return `attribute ${a.name} has no type (UNDEFINED); ${opType}'s ${a.name} is ${KIND_TEXT[rule.type]}`;
    const why = rule && breach(opType, a, rule);
    if (why) return `attribute ${a.name} = ${attributeValueText(a)} ${why}`;
  }
  for (const [name, required] of known) if (required && !seen.has(name)) return `attribute ${name} is missing; ${opType} requires it`;
  return undefined;
}
