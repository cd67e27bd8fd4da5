/**
 * The built-in models, by id: what `workbook models` lists and `workbook analyze <id>` reads.
 * Each entry says what the model is and where its definition comes from.
 */
import type { ModelDef } from '../model/define.ts';
import { bertBaseCasedQa } from './bert.ts';
import { alexnetGrouped, labSimpleCnn, lenet5 } from './cnn.ts';
import { mlpHw1Q1, mlpHw1Q2, mlpLab } from './mlp.ts';

export interface ZooEntry {
  readonly id: string;
  readonly description: string;
  readonly source: string;
  readonly def: ModelDef;
}

const entry = (def: ModelDef): ZooEntry => ({ id: def.name, description: def.description ?? '', source: def.source ?? '', def });

export const ZOO: readonly ZooEntry[] = [
  entry(mlpHw1Q1),
  entry(mlpHw1Q2),
  entry(mlpLab),
  entry(lenet5),
  entry(labSimpleCnn(1)),
  entry(labSimpleCnn(2)),
  entry(labSimpleCnn(3)),
  entry(alexnetGrouped),
  entry(bertBaseCasedQa),
];

export const ZOO_IDS = ZOO.map((e) => e.id);

/** The entry with this id, or undefined. */
export function zooEntry(id: string): ZooEntry | undefined {
  return ZOO.find((e) => e.id === id);
}
