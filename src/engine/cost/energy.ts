/**
 * Energy of one forward pass from operation and memory-access energies (lectures, Horowitz 45 nm):
 * E = MACs · (E_mult + E_add) + N_w · E_w + N_a · E_SRAM, where N_w = weight accesses (every
 * parameter read once per pass from DRAM or SRAM, the named assumption) and N_a = activation
 * accesses (each layer reads its input and writes its output in SRAM); accesses are 32-bit words.
 */
import type { ModelReport } from '../analysis/analyze.ts';
import { figure, type Figure } from '../math/derivation.ts';
import { add, div, mul, num, sum, variable } from '../math/expr.ts';
import { HardwareError, pickPrecision, precisionForBits, type EnergyTable, type Precision } from '../hardware/profile.ts';
import { layerTraffic, refFigure, uniformBits, type TrafficOptions } from './traffic.ts';

/** Where the weights are read from on every pass: off-chip DRAM or on-chip SRAM. */
export type WeightPlacement = 'dram' | 'sram';

export interface EnergyOptions extends TrafficOptions {
  readonly weightsIn: WeightPlacement;
  /** Precision of the multiply and add; default from the parameter bits (8 → int8, 32 → fp32). */
  readonly precision?: Precision;
}

export interface EnergyReport {
  readonly precision: Precision;
  readonly weightsIn: WeightPlacement;
  /** The assumptions in words, for the page and the CLI. */
  readonly assumptions: readonly string[];
  readonly macEnergyPj: Figure;
  readonly weightAccesses: Figure;
  readonly weightEnergyPj: Figure;
  readonly activationAccesses: Figure;
  readonly activationEnergyPj: Figure;
  /** The whole forward pass (all `batch` samples). */
  readonly energyUj: Figure;
  /** Per sample, when the batch is larger than 1. */
  readonly energyPerSampleUj?: Figure;
}

/** The fields of `table` that an estimate at `precision` needs and that it lacks. */
export function missingEnergyFields(table: EnergyTable | undefined, precision: Precision, weightsIn: WeightPlacement): string[] {
  const missing: string[] = [];
  if (!pickPrecision(table?.multPj, precision)) missing.push(`energy.multPj.${precision}`);
  if (!pickPrecision(table?.addPj, precision)) missing.push(`energy.addPj.${precision}`);
  if (!table?.sramAccess32Pj) missing.push('energy.sramAccess32Pj');
  if (weightsIn === 'dram' && !table?.dramAccess32Pj) missing.push('energy.dramAccess32Pj');
  return missing;
}

/** Energy per forward pass of `report`, in µJ, with each term's derivation. */
export function energyPerInference(report: ModelReport, table: EnergyTable, options: EnergyOptions): EnergyReport {
  const precision = options.precision ?? precisionForBits(options.paramBits ?? report.paramBits);
  const missing = missingEnergyFields(table, precision, options.weightsIn);
  if (missing.length > 0) {
    throw new HardwareError(missing.map((field) => ({ field, message: 'needed for the energy estimate, not in the table' })));
  }
  const mult = pickPrecision(table.multPj, precision)!;
  const addE = pickPrecision(table.addPj, precision)!;
  const sram = variable('E_{\\text{SRAM}}', table.sramAccess32Pj!.value, 'pJ per 32-bit SRAM access');
  const weightAccess =
    options.weightsIn === 'dram' ? variable('E_{\\text{DRAM}}', table.dramAccess32Pj!.value, 'pJ per 32-bit DRAM access') : sram;

  // MACs · (E_mult + E_add)
  const macEnergyPj = figure(
    'E_{\\text{MAC}}',
    'multiply-accumulate energy',
    'pJ',
    mul(
      refFigure(report.totals.macs),
      add(variable('E_{\\times}', mult.value, `pJ per ${precision} multiply`), variable('E_{+}', addE.value, `pJ per ${precision} add`)),
    ),
  );

  // Accesses are 32-bit words: elements × bits / 32.
  const traffic = report.layers.map((r) => ({ r, t: layerTraffic(report, r, options) }));
  const weightAccessesExpr = uniformBits(report, options)
    ? mul(refFigure(report.totals.params), div(variable('b_w', report.paramBits, 'bits per parameter'), num(32)))
    : sum(
        '\\sum_\\ell |P_\\ell| \\cdot \\frac{b_{w,\\ell}}{32}',
        traffic.flatMap(({ r, t }) =>
          t.weightBytes ? [mul(refFigure(r.params), div(variable('b_w', t.bits.paramBits, 'bits per parameter'), num(32)))] : [],
        ),
      );
  const weightAccesses = figure('N_w', 'weight accesses (32-bit)', 'accesses', weightAccessesExpr);
  const n = report.batch === 1 ? '' : 'n ';
  const activationAccesses = figure(
    'N_a',
    'activation accesses (32-bit)',
    'accesses',
    sum(
      `\\sum_\\ell ${n}\\left(a_{\\text{in},\\ell} + a_{\\text{out},\\ell}\\right) \\frac{b_a}{32}`,
      traffic.flatMap(({ t }) =>
        t.activationElements ? [mul(t.activationElements, div(variable('b_a', t.bits.activationBits, 'bits per activation'), num(32)))] : [],
      ),
    ),
  );
  const weightEnergyPj = figure('E_w', `weight reads from ${options.weightsIn.toUpperCase()}`, 'pJ', mul(refFigure(weightAccesses), weightAccess));
  const activationEnergyPj = figure('E_a', 'activation reads and writes in SRAM', 'pJ', mul(refFigure(activationAccesses), sram));
  // E in µJ = (E_MAC + E_w + E_a) pJ / 10^6
  const energyUj = figure(
    'E',
    'energy per forward pass',
    'uJ',
    div(add(refFigure(macEnergyPj), refFigure(weightEnergyPj), refFigure(activationEnergyPj)), num(1e6, '10^6')),
  );
  const assumptions = [
    `one multiply and one add at ${precision} per MAC (${mult.source}; ${addE.source})`,
    `every parameter read once per forward pass from ${options.weightsIn.toUpperCase()}`,
    'each layer reads its input and writes its output activations in SRAM',
    'memory energy per 32-bit access, so b bits cost b/32 of an access',
  ];
  return {
    precision,
    weightsIn: options.weightsIn,
    assumptions,
    macEnergyPj,
    weightAccesses,
    weightEnergyPj,
    activationAccesses,
    activationEnergyPj,
    energyUj,
    ...(report.batch > 1
      ? { energyPerSampleUj: figure('E_{\\text{sample}}', 'energy per sample', 'uJ', div(refFigure(energyUj), variable('n', report.batch, 'batch size'))) }
      : {}),
  };
}
