/**
 * The counting rules of the tools students run, one file per tool in counters/ (its index.ts says
 * how a tool's count is made of the standard MACs and terms).
 */
export * from './counters/index.ts';
