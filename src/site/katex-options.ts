/**
 * KaTeX options for engine math, shared by the build (tex.ts) and the practice page's script:
 * MathML beside the HTML so screen readers read the math; errors stop rather than print red.
 */
export const KATEX_OPTIONS = { output: 'htmlAndMathml', throwOnError: true, strict: 'error' } as const;
