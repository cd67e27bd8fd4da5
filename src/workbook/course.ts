/**
 * The course's structure: units in teaching order, each with its reading (chapters in
 * `content/chapters/`) and its problem sets (problems in `problems/`, by their `set`).
 */

export interface ProblemSet {
  readonly title: string;
  /** The handout it comes from. */
  readonly source: string;
}

/** Every problem names one of these as its `set`; an unknown set fails the build. */
export const PROBLEM_SETS = {
  hw1: { title: 'Homework 1: fully connected networks', source: 'HW1 analytical questions' },
  notes: { title: 'Notes: space and compute complexity of LeNet-5', source: 'handwritten notes on space and compute complexity' },
  lab1: { title: 'Lab 1: profiling MLPs, CNNs, ResNet-18 and BERT', source: 'Lab 1 report' },
  lectures: { title: 'Lectures: AlexNet and the convolution formulas', source: 'lecture notes and slides on efficiency metrics and layers' },
  'lectures-cost': { title: 'Lectures: latency, throughput, roofline and energy', source: 'lecture slides on efficiency metrics and the roofline model' },
} as const satisfies Record<string, ProblemSet>;

export type ProblemSetId = keyof typeof PROBLEM_SETS;
export const PROBLEM_SET_IDS = Object.keys(PROBLEM_SETS) as [ProblemSetId, ...ProblemSetId[]];

export interface CourseUnit {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  /** Chapter ids (file names in content/chapters without .mdx), in reading order. */
  readonly chapters: readonly string[];
  readonly sets: readonly ProblemSetId[];
}

export const COURSE: readonly CourseUnit[] = [
  {
    id: 'size-and-compute',
    title: 'Counting: parameters, memory and compute',
    summary: 'How many parameters a network has, how many bytes they take, how much memory its activations need, and how many multiply-accumulates one inference costs.',
    chapters: ['metrics', 'layers'],
    sets: ['hw1', 'notes', 'lab1', 'lectures'],
  },
  {
    id: 'hardware',
    title: 'Running it: latency, throughput, roofline and energy',
    summary: 'How long a network takes on a given chip, whether it is limited by compute or by memory, what batching buys, and what an inference costs in energy.',
    chapters: ['hardware'],
    sets: ['lectures-cost'],
  },
];

/** A topic's URL segment: "model size" -> "model-size". */
export function topicSlug(topic: string): string {
  return topic.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
