/**
 * The "where" lines under a derivation: what each symbol means, and for a sum over layers, the
 * formula every term follows. Read off the figure's expression, like the derivation itself.
 * No KaTeX import here: this module also runs in the practice page's script (legend.ts renders at build time).
 */
import type { Figure } from '../engine/math/derivation.ts';
import type { Expr } from '../engine/math/expr.ts';
import { formatNumberTex, toTex } from '../engine/math/latex.ts';

export interface LegendLine {
  /** LaTeX: `c_i`, or `b_w = 8`. */
  readonly tex: string;
  readonly meaning: string;
  /** True when `tex` states a value (`f = 80`): the meaning then reads in parentheses. */
  readonly valued: boolean;
}

export interface Legend {
  /** For a sum whose terms share one formula: `|W_\ell| = c_i \cdot c_o`. */
  readonly perTerm?: string;
  readonly symbols: LegendLine[];
}

export function legendOf(f: Figure): Legend {
  const symbols: LegendLine[] = [];
  const seen = new Set<string>();
  let perTerm: string | undefined;

  const visit = (e: Expr, inTerm: boolean): void => {
    switch (e.kind) {
      case 'var':
        if (e.meaning && !seen.has(e.tex)) {
          seen.add(e.tex);
          symbols.push({ tex: inTerm ? e.tex : `${e.tex} = ${formatNumberTex(e.value)}`, meaning: e.meaning, valued: !inTerm });
        }
        return;
      case 'num':
      case 'ref':
        return;
      case 'sum': {
        const forms = new Set(e.terms.map((t) => toTex(t, 'symbolic')));
        const first = e.terms[0];
        if (forms.size === 1 && first && perTerm === undefined) {
          const summand = /^\\sum_\{[^}]*\}\s*(.+)$/.exec(e.tex)?.[1];
          const formula = toTex(first, 'symbolic');
          if (summand && formula !== summand) perTerm = `${summand} = ${formula}`;
          visit(first, true);
        }
        return;
      }
      case 'add':
        e.terms.forEach((t) => visit(t, inTerm));
        return;
      case 'mul':
        e.factors.forEach((t) => visit(t, inTerm));
        return;
      case 'sub':
        visit(e.left, inTerm);
        visit(e.right, inTerm);
        return;
      case 'div':
        visit(e.numerator, inTerm);
        visit(e.denominator, inTerm);
        return;
      case 'floor':
      case 'ceil':
        visit(e.arg, inTerm);
        return;
      case 'max':
      case 'min':
        e.args.forEach((t) => visit(t, inTerm));
        return;
    }
  };
  visit(f.expr, false);
  return perTerm === undefined ? { symbols } : { perTerm, symbols };
}

/**
 * The legend as one HTML sentence: "where for each layer |W_ℓ| = c_i · c_o, with c_i input
 * features and c_o output features." `renderTex` turns TeX into HTML (KaTeX, passed in so the
 * practice page's script can load KaTeX only when it needs it).
 */
export function legendHtmlWith(legend: Legend, renderTex: (tex: string, displayMode: boolean) => string): string | undefined {
  const symbols = legend.symbols.map((s) => `${renderTex(s.tex, false)} ${s.valued ? `(${escapeHtml(s.meaning)})` : escapeHtml(s.meaning)}`);
  const list = symbols.length <= 1 ? symbols.join('') : `${symbols.slice(0, -1).join(', ')} and ${symbols[symbols.length - 1]}`;
  if (legend.perTerm) {
    return `where, for each layer, ${renderTex(legend.perTerm, false)}${list ? `, with ${list}` : ''}.`;
  }
  return list ? `where ${list}.` : undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
