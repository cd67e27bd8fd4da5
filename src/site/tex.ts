/**
 * Engine LaTeX to HTML at build time. MathML is emitted beside the HTML so screen readers read
 * the math; `throwOnError` makes a malformed derivation stop the build instead of printing red.
 */
import katex from 'katex';

export function renderTex(tex: string, displayMode: boolean): string {
  return katex.renderToString(tex, { displayMode, output: 'htmlAndMathml', throwOnError: true, strict: 'error' });
}
