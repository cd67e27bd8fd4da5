/**
 * What the search index reads of a page (src/site/search-text.ts), checked with Pagefind itself:
 * the HTML of the workbook's pages goes in, and the text Pagefind stores for excerpts comes out.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { searchableHtml, spacedElements, withoutDerivations, withoutTexSource } from '../../src/site/search-text.ts';

const page = (body: string) => `<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main data-pagefind-body>${body}</main></body></html>`;

/** The text Pagefind keeps of each body, as its excerpts show it. */
async function indexedText(bodies: readonly string[]): Promise<string[]> {
  const pagefind = await import('pagefind');
  const { index } = await pagefind.createIndex({});
  for (const [i, body] of bodies.entries()) await index!.addHTMLFile({ url: `/p${i}/`, content: searchableHtml(page(body)) });
  const out = mkdtempSync(join(tmpdir(), 'search-text-'));
  await index!.writeFiles({ outputPath: out });
  await pagefind.close();
  const fragments = readdirSync(join(out, 'fragment')).map((f) => {
    const text = gunzipSync(readFileSync(join(out, 'fragment', f))).toString('utf8');
    return JSON.parse(text.slice(text.indexOf('{'))) as { url: string; content: string };
  });
  return bodies.map((_, i) => fragments.find((f) => f.url === `/p${i}/`)!.content);
}

describe('search text', () => {
  it('topic tags, an answer\'s title and figure, a value and its unit, table headers read as separate words', async () => {
    const [tags, answer, headers] = await indexedText([
      '<p class="problem-meta"><span><a class="tag" href="/topics/parameters/">parameters</a><a class="tag" href="/topics/model-size/">model size</a><a class="tag" href="/topics/macs/">MACs</a></span></p>',
      '<p class="answer-line"><span class="answer-title">Linear 1</span><span class="answer-value">37,748,736</span><span class="answer-unit">MACs</span></p>',
      '<table><thead><tr><th>Batch size</th><th>Multiply-accumulates per inference (MACs)</th></tr></thead></table>',
    ]);
    expect(tags).toBe('parameters model size MACs.');
    expect(answer).toBe('Linear 1 37,748,736 MACs.');
    expect(headers).toBe('Batch size Multiply-accumulates per inference (MACs)');
  }, 60_000);

  it('a formula keeps its visible text whole (no space inside 9,216), without its TeX source; derivations are left out', async () => {
    const math = katex.renderToString('9{,}216 \\times 4{,}096', { output: 'htmlAndMathml' });
    const [inline, derivation] = await indexedText([
      `<p>The product ${math} is large.</p>`,
      '<p>Before.</p><details class="derivation" open><summary>Derivation</summary><div class="math-display">MACs = 96 × 55</div></details><p>After.</p>',
    ]);
    expect(inline).toBe('The product 9,216×4,096 is large.');
    expect(derivation).toBe('Before. After.');
  }, 60_000);

  it('each step on its own', () => {
    expect(withoutTexSource('<span class="katex"><span class="katex-mathml"><math><annotation>\\text{x}</annotation></math></span><span class="katex-html">x</span></span>')).toBe(
      '<span class="katex"><span class="katex-html">x</span></span>',
    );
    expect(withoutDerivations('<details class="derivation" open>')).toBe('<details data-pagefind-ignore class="derivation" open>');
    expect(withoutDerivations('<details class="derivations-list">')).toBe('<details class="derivations-list">');
    // Only neighbours with nothing between them; text and scripts are left alone.
    expect(spacedElements('<a>x</a><a>y</a> <span>z</span>text<span>w</span></p><p>v</p>')).toBe('<a>x</a> <a>y</a> <span>z</span>text<span>w</span></p> <p>v</p>');
    expect(spacedElements('<script>"</a><a>"</script><a>x</a><code>y</code>')).toBe('<script>"</a><a>"</script><a>x</a> <code>y</code>');
    expect(spacedElements('<span class="katex"><span>9</span><span>,</span></span><b>x</b><i>y</i>')).toBe('<span class="katex"><span>9</span><span>,</span></span><b>x</b> <i>y</i>');
  });
});
