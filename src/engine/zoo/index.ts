/**
 * The built-in models, by id: what `workbook models` lists, `workbook analyze <id>` reads, problems
 * name in their `model` field and the site gives a page each (/models/<id>/). Each model is
 * defined once, in the file of its family, with a comment citing its reference implementation.
 */
import { ModelError } from '../errors.ts';
import type { ModelDef } from '../model/define.ts';
import { alexnet, alexnetGrouped } from './alexnet.ts';
import { BERT_DEFAULT_SEQ, bertBaseCasedQa, bertBaseUncased } from './bert.ts';
import { lenet5 } from './lenet.ts';
import { mobilenetV2 } from './mobilenet-v2.ts';
import { mobilenetV3Small } from './mobilenet-v3.ts';
import { efficientnetB0 } from './efficientnet.ts';
import { MLP_LAB_VARIANTS, mlpHw1Q1, mlpHw1Q2, mlpLab } from './mlp.ts';
import { resnet18, resnet50 } from './resnet.ts';
import { simpleCnn } from './simple-cnn.ts';
import { vgg16 } from './vgg.ts';
import { vitB16Def } from './vit.ts';

/** Options a model may take. Only the BERT models take one: the sequence length in tokens. */
export interface ZooOptions {
  readonly seq?: number;
}

/** Where a model comes from, for the models index. */
export type ZooFamily = 'course' | 'imagenet' | 'transformer';

export const ZOO_FAMILIES: readonly { readonly id: ZooFamily; readonly title: string; readonly description: string }[] = [
  { id: 'course', title: 'Networks of the homework, notes and lab', description: 'Small networks whose figures the course works out by hand.' },
  { id: 'imagenet', title: 'ImageNet CNNs', description: 'torchvision\'s definitions on 3×224×224 images (the efficient ones with squeeze-and-excitation: MobileNetV3-Small, EfficientNet-B0), and the lectures\' two-group AlexNet.' },
  { id: 'transformer', title: 'Transformers', description: 'BERT-base, counted per sequence of tokens, and torchvision\'s ViT-B/16 on 3×224×224 images (196 patches and a class token).' },
];

export interface ZooEntry {
  readonly id: string;
  readonly description: string;
  readonly source: string;
  readonly family: ZooFamily;
  /** The definition at the default options. */
  readonly def: ModelDef;
  /** The options the model takes, at their defaults: `{ seq: 128 }` for BERT, `{}` otherwise. */
  readonly defaults: ZooOptions;
  /** The definition at other options; a `ModelError` for an option the model does not take. */
  build(options?: ZooOptions): ModelDef;
}

function fixed(def: ModelDef, family: ZooFamily): ZooEntry {
  return {
    id: def.name,
    description: def.description ?? '',
    source: def.source ?? '',
    family,
    def,
    defaults: {},
    build(options = {}) {
      const given = Object.entries(options).filter(([, v]) => v !== undefined).map(([k]) => k);
      if (given.length > 0) throw new ModelError(def.name, [], `takes no options, got ${given.join(', ')}; only the BERT models take a sequence length`);
      return def;
    },
  };
}

function withSeq(make: (seq: number) => ModelDef): ZooEntry {
  const def = make(BERT_DEFAULT_SEQ);
  return {
    id: def.name,
    description: def.description ?? '',
    source: def.source ?? '',
    family: 'transformer',
    def,
    defaults: { seq: BERT_DEFAULT_SEQ },
    build: (options = {}) => (options.seq === undefined || options.seq === BERT_DEFAULT_SEQ ? def : make(options.seq)),
  };
}

export const ZOO: readonly ZooEntry[] = [
  fixed(mlpHw1Q1, 'course'),
  fixed(mlpHw1Q2, 'course'),
  fixed(mlpLab, 'course'),
  ...MLP_LAB_VARIANTS.map((def) => fixed(def, 'course')),
  fixed(lenet5, 'course'),
  fixed(simpleCnn(2), 'course'),
  fixed(simpleCnn(1), 'course'),
  fixed(simpleCnn(3), 'course'),
  fixed(alexnet, 'imagenet'),
  fixed(alexnetGrouped, 'imagenet'),
  fixed(vgg16, 'imagenet'),
  fixed(resnet18, 'imagenet'),
  fixed(resnet50, 'imagenet'),
  fixed(mobilenetV2, 'imagenet'),
  fixed(mobilenetV3Small, 'imagenet'),
  fixed(efficientnetB0, 'imagenet'),
  withSeq(bertBaseUncased),
  withSeq(bertBaseCasedQa),
  fixed(vitB16Def, 'transformer'),
];

export const ZOO_IDS = ZOO.map((e) => e.id);

/** The entry with this id, or undefined. */
export function zooEntry(id: string): ZooEntry | undefined {
  return ZOO.find((e) => e.id === id);
}

/** The definition of a built-in model at the given options; a `ModelError` listing the ids for an unknown one. */
export function zooModel(id: string, options: ZooOptions = {}): ModelDef {
  const entry = zooEntry(id);
  if (!entry) throw new ModelError(id, [], `unknown model id; allowed: ${ZOO_IDS.join(', ')}`);
  return entry.build(options);
}
