/**
 * Counting conventions. Every choice that changes a published number is named here, with the
 * default the course uses; nothing is assumed silently elsewhere.
 */
export interface Conventions {
  /** Count biases as parameters (PyTorch does; some handouts count weights only). */
  readonly biasInParams: boolean;
  /** Count the input tensor among the activations. */
  readonly inputInActivations: boolean;
  /** Bytes in a kilobyte: 1000 (KB, SI) or 1024 (KiB). */
  readonly bytesPerKilobyte: 1000 | 1024;
  /** FLOPs per multiply-accumulate (2: one multiply and one add). */
  readonly flopsPerMac: number;
}

export const DEFAULT_CONVENTIONS: Conventions = {
  biasInParams: true,
  inputInActivations: false,
  bytesPerKilobyte: 1000,
  flopsPerMac: 2,
};

/** Plain-language statement of each convention in force, for pages and CLI output. */
export function describeConventions(c: Conventions): string[] {
  return [
    c.biasInParams ? 'parameters = weights + biases' : 'parameters = weights only (biases not counted)',
    c.inputInActivations ? 'activations include the input' : 'activations exclude the input',
    c.bytesPerKilobyte === 1000 ? '1 KB = 1000 B' : '1 KiB = 1024 B',
    `FLOPs = ${c.flopsPerMac} × MACs`,
  ];
}
