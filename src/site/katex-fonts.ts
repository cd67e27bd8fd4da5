/**
 * KaTeX's stylesheet lists every face in three formats (woff2, woff, ttf); Vite copies every file
 * a stylesheet references, so the site shipped 20 woff and 20 ttf files no browser that reads this
 * site downloads (each picks woff2, supported everywhere since 2018). This Vite plugin keeps only
 * the woff2 source of each `@font-face` in `katex/dist/katex(.min).css`.
 */
import type { Plugin } from 'vite';

const KATEX_CSS = /[\\/]katex[\\/]dist[\\/]katex(?:\.min)?\.css(?:\?|$)/;

/** `src: url(a.woff2) format("woff2"), url(a.woff) format("woff"), ...` → the woff2 source alone. */
export function woff2Only(css: string): string {
  return css.replace(/,\s*url\([^)]*\)\s*format\(\s*["'](?:woff|truetype|opentype)["']\s*\)/g, '');
}

export function katexWoff2Only(): Plugin {
  return {
    name: 'workbook-katex-woff2-only',
    enforce: 'pre',
    // The filter lets Rolldown skip the call for every other module of the build.
    transform: {
      filter: { id: KATEX_CSS },
      handler(code, id) {
        return KATEX_CSS.test(id) ? { code: woff2Only(code), map: null } : null;
      },
    },
  };
}
