/** Answer checking: reading answers with units, the precision rule, and mistake hints. */
export { grade, gradeFigure, type Feedback, type Verdict } from './grade.ts';
export { mistakenFigures, MISTAKE_IDS, type MistakeId, type MistakenFigure } from './mistakes.ts';
export { parseAnswer, MAX_INPUT_LENGTH, type ParsedAnswer } from './parse.ts';
export { displayFigure, displayNumber, displayValue, isExactUnit, precisionNote, SIGNIFICANT_DIGITS, toleranceOf, withinTolerance } from './precision.ts';
export { gradeChoice, gradeDecision } from './choice.ts';
