/**
 * Engine LaTeX to HTML at build time. MathML is emitted beside the HTML so screen readers read
 * the math; `throwOnError` makes a malformed derivation stop the build instead of printing red.
 */
import katex from 'katex';
import { KATEX_OPTIONS } from './katex-options.ts';

export function renderTex(tex: string, displayMode: boolean): string {
  return katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode });
}
