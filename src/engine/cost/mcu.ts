/**
 * Microcontroller latency: a core that retires one MAC every `cyclesPerMac` cycles at `clockMHz`.
 * cycles = MACs × cycles per MAC;  t = cycles / f.  (HW1 Q2: 933,888 × 4 / 80 MHz = 46.6944 ms.)
 */
import { div, mul, num, ref, variable } from '../math/expr.ts';
import { figure, type Figure } from '../math/derivation.ts';

export interface McuSpec {
  readonly clockMHz: number;
  readonly cyclesPerMac: number;
}

export interface McuLatency {
  readonly cycles: Figure;
  readonly latencyMs: Figure;
}

/** Latency of `macs` on the microcontroller; pass a layer's or the model's MACs figure. */
export function mcuLatency(macs: Figure, mcu: McuSpec): McuLatency {
  if (!(mcu.clockMHz > 0) || !(mcu.cyclesPerMac > 0)) {
    throw new RangeError(`clock (${mcu.clockMHz} MHz) and cycles per MAC (${mcu.cyclesPerMac}) must be positive`);
  }
  const macsRef = ref('\\text{MACs}', macs.expr);
  const cycles = mul(macsRef, variable('k', mcu.cyclesPerMac, 'cycles per MAC'));
  // f in MHz is 10^3 cycles per ms times f.
  const latency = div(ref('\\text{cycles}', cycles), mul(variable('f', mcu.clockMHz, 'clock in MHz'), num(1000, '10^3')));
  return {
    cycles: figure('\\text{cycles}', 'cycles', 'cycles', cycles),
    latencyMs: figure('t', 'latency', 'ms', latency),
  };
}
