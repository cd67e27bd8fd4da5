/** Randomized variants: parameter spaces, deterministic sampling, student seeds. Runs in the browser. */
export { evaluateFormula, FormulaError, parseFormula, type Formula } from './formula.ts';
export { CANONICAL_SEED, hash32, isSeed, MAX_SEED, normalizeStudentId, studentSeed, type VariantDomain } from './hash.ts';
export { describeForReader, describeValues, instantiate, refsIn, shownValues, spaceOf, variationOf, type Instance, type Variation } from './instantiate.ts';
export { compileSpace, defaultValues, sampleValues, spaceSize, SpaceError, valuesDomain, type ParameterSpace, type ParamSpec } from './space.ts';
export { askedFigure, askedLabel, canonicalAnswerValues, isRandomized, REPEATS_HOMEWORK, homeworkVariant, variantOf, variantWithValues, type AskedFigure, type ProblemSpec, type Variant } from './variant.ts';
