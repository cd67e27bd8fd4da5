/**
 * Grading the answers that are picked rather than typed: a yes/no answer against the engine's
 * decision, a multiple choice against the option the engine picks. Pure and total, like grade().
 */
import { answerDecision, choiceAnswer, type ChoiceOption, type ChoicePick, type ProblemContext } from '../answers.ts';
import { displayFigure } from './precision.ts';
import type { Feedback } from './grade.ts';

/** `picked` is "yes" or "no" (a radio button's value); anything else asks for a choice. */
export function gradeDecision(picked: string, ctx: ProblemContext, name: string, props: Record<string, unknown> = {}): Feedback {
  if (picked !== 'yes' && picked !== 'no') return { verdict: 'unreadable', message: 'Choose yes or no.' };
  try {
    const { yes, figure } = answerDecision(ctx, name, 'problem', props);
    const right = yes ? 'yes' : 'no';
    return picked === right
      ? { verdict: 'correct', message: `Correct: ${right} (${figure.label} ${displayFigure(figure)}).` }
      : { verdict: 'incorrect', message: `Incorrect. Work out the ${figure.label} and compare, or reveal the derivation.` };
  } catch (error) {
    return { verdict: 'unreadable', message: `This answer cannot be checked: ${(error as Error).message}` };
  }
}

/** `picked` is the chosen option's index, as a string (a radio button's value). */
export function gradeChoice(picked: string, ctx: ProblemContext, of: string, pick: ChoicePick, options: readonly ChoiceOption[]): Feedback {
  const index = /^\d+$/.test(picked) ? Number(picked) : NaN;
  if (!(index >= 0 && index < options.length)) return { verdict: 'unreadable', message: 'Choose one of the options.' };
  try {
    const result = choiceAnswer(ctx, of, pick, options, 'problem');
    const right = result.labels[result.index]!;
    return index === result.index
      ? { verdict: 'correct', message: `Correct: ${right} (${displayFigure(result.figures[result.index]!)}).` }
      : { verdict: 'incorrect', message: `Incorrect: ${result.labels[index]} gives ${displayFigure(result.figures[index]!)}. Compare the options, or reveal the derivation.` };
  } catch (error) {
    return { verdict: 'unreadable', message: `This answer cannot be checked: ${(error as Error).message}` };
  }
}
