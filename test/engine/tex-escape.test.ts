/**
 * Text from user files is data: a layer id holding TeX specials (`}`, `\`, `$`, `{`, `^`, `#`, `%`,
 * `&`, `~`, `_`) renders in every derivation (KaTeX with throwOnError, trust off) and reads literally.
 */
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { analyze, defineModel, derivationLines, mcuLatency, type Figure, type ModelDef } from '../../src/engine/index.ts';

/** A derivation's TeX as the pages set it: the symbol, then each `= ...` line. */
function derivationTex(f: Figure): string {
  const { symbol, lines } = derivationLines(f);
  return [symbol, ...lines].join(' ');
}
import { profileTotals } from '../../src/engine/analysis/profiles.ts';
import { layerSymbol } from '../../src/engine/cost/traffic.ts';
import { texText } from '../../src/engine/math/latex.ts';

const SPECIALS = ['}', '\\', '$', '{', '^', '#', '%', '&', '~', '_'];
const ids = SPECIALS.map((c, i) => `fc${i}${c}x`);
// The last one tries to run a command and close the \text{} early.
const hostile = 'a}\\href{javascript:alert(1)}{b}$\\def\\x{y}';

const def: ModelDef = {
  name: 'm',
  input: [4],
  layers: [...ids, hostile].map((name) => ({ type: 'Linear', name, in_features: 4, out_features: 4 })),
};

/** The visible text of KaTeX's HTML (its MathML copy left out), entities decoded. */
function visible(tex: string): string {
  const html = katex.renderToString(tex, { throwOnError: true, trust: false, displayMode: true });
  return html
    .replace(/<span class="katex-mathml">[\s\S]*?<\/math><\/span>/, '')
    .replace(/<[^>]+>/g, '')
    .replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#x27;', "'")
    .replace(/[\u200b\u2061]/g, '');
}

describe('layer ids with TeX specials', () => {
  it('texText escapes each special once, and leaves a plain name as it is', () => {
    expect(texText('fc1')).toBe('fc1');
    expect(SPECIALS.map(texText)).toEqual(['\\}', '\\textbackslash{}', '\\$', '\\{', '\\textasciicircum{}', '\\#', '\\%', '\\&', '\\textasciitilde{}', '\\_']);
  });

  const report = analyze(defineModel(def));
  const names = [...ids, hostile];

  it.each(names.map((n, i) => [n, i] as const))('%s: every derivation of the layer renders and shows the id literally', (name, i) => {
    const r = report.layers[i]!;
    expect(r.layer.id).toBe(name);
    for (const f of [r.weights, r.biases, r.params, r.macs, r.activations]) {
      const text = visible(derivationTex(f));
      expect(text).toContain(name);
    }
    const html = katex.renderToString(derivationTex(r.macs), { throwOnError: true, trust: false });
    expect(html).not.toMatch(/<a |href=/);
    expect(visible(layerSymbol('Q', r))).toContain(name);
    expect(visible(mcuLatency(r.macs, { clockMHz: 80, cyclesPerMac: 4 }, texText(name)).latencyMs.symbol)).toContain(name);
  });

  it('the profiles\' per-layer symbols render with the ids literally', () => {
    const p = profileTotals(defineModel(def), 'thop');
    for (const [i, f] of p.layerCompute.entries()) expect(visible(derivationTex(f))).toContain(names[i]);
  });
});
