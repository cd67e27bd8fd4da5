/**
 * Authors' formulas go through rehype-katex, whose KaTeX (0.16) names twenty classes the way KaTeX
 * did before 0.18; the site's stylesheet is the project's KaTeX (0.19), whose rules use the
 * `katex-` names. src/site/katex-classes.ts renames them after rehype-katex: for every formula of
 * the example course, the markup then carries the project's KaTeX's classes, in the same order.
 * Before the renaming, `QK^\top` (llm/gpt2-xl-accounting) had no `.katex-base` rule and broke
 * across two lines of the llm handout.
 */
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Element, Root } from 'hast';
import katex from 'katex';
import rehypeKatex from 'rehype-katex';
import { describe, expect, it } from 'vitest';
import { KATEX_PREFIXED_CLASSES, renameKatexClasses } from '../../src/site/katex-classes.ts';

const root = new URL('../../', import.meta.url).pathname;
// The KaTeX rehype-katex imports (its own, when it pins an older one).
const rehypeKatexKatex = createRequire(createRequire(join(root, 'package.json')).resolve('rehype-katex')).resolve('katex/package.json');
const theirVersion = JSON.parse(readFileSync(rehypeKatexKatex, 'utf8')).version as string;

function mdxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? mdxFiles(p) : p.endsWith('.mdx') ? [p] : [];
  });
}

/** Every `$...$` and `$$...$$` of the example course's problems and chapters. */
const formulas = [...new Set(
  [...mdxFiles(join(root, 'problems')), ...mdxFiles(join(root, 'content'))].flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/\$\$([\s\S]+?)\$\$|\$([^$\n]+?)\$/g)].map((m) => (m[1] !== undefined ? `D${m[1]}` : `I${m[2]}`)),
  ),
)].map((t) => ({ tex: t.slice(1), display: t[0] === 'D' }));

/** The formula as the site's pipeline renders it: remark-math's element, then rehype-katex, then (or not) the renaming. */
function rendered(tex: string, display: boolean, rename: boolean): Root {
  const code: Element = { type: 'element', tagName: 'code', properties: { className: ['language-math', display ? 'math-display' : 'math-inline'] }, children: [{ type: 'text', value: tex }] };
  const tree: Root = { type: 'root', children: [{ type: 'element', tagName: 'p', properties: {}, children: [code] }] };
  (rehypeKatex as any)({ output: 'htmlAndMathml' })(tree, { message: () => ({}) });
  if (rename) renameKatexClasses(tree);
  return tree;
}

function classSequence(tree: Root): string[] {
  const out: string[] = [];
  const walk = (n: any) => {
    if (n.type === 'element' && Array.isArray(n.properties?.className) && n.tagName !== 'p') out.push(n.properties.className.join(' '));
    for (const c of n.children ?? []) walk(c);
  };
  walk(tree);
  return out;
}

const projectClasses = (tex: string, display: boolean) =>
  [...katex.renderToString(tex, { output: 'htmlAndMathml', displayMode: display, throwOnError: false }).matchAll(/class="([^"]*)"/g)].map((m) => m[1]!);

describe("authors' formulas carry the class names of the site's KaTeX stylesheet", () => {
  it('the stylesheet (the project\'s KaTeX) styles the prefixed names, not the old ones', () => {
    const css = readFileSync(join(root, 'node_modules/katex/dist/katex.min.css'), 'utf8');
    expect(katex.version).toBe('0.19.1');
    for (const c of ['base', 'strut', 'sizing', 'vbox', 'rule']) {
      expect(css, c).toContain(`.katex-${c}`);
      expect(css, c).not.toMatch(new RegExp(`\\.${c}[ .{,:]`));
    }
  });

  it('every formula of the example course: the classes, in order, are the project KaTeX\'s', () => {
    expect(formulas.length).toBeGreaterThan(150);
    let differedBefore = 0;
    for (const { tex, display } of formulas) {
      const want = projectClasses(tex, display);
      expect(classSequence(rendered(tex, display, true)), tex).toEqual(want);
      if (JSON.stringify(classSequence(rendered(tex, display, false))) !== JSON.stringify(want)) differedBefore++;
    }
    // With an older KaTeX in rehype-katex, every formula needed the renaming (each has a .base and a .strut).
    if (Number(theirVersion.split('.')[1]) < 18 && theirVersion.startsWith('0.')) expect(differedBefore).toBe(formulas.length);
  });

  it("QK^\\top: one .katex-base holding the K and its superscript (nowrap), the superscript sized by .katex-sizing", () => {
    const classes = classSequence(rendered('QK^\\top', false, true));
    expect(classes.filter((c) => c === 'katex-base')).toHaveLength(1);
    expect(classes).toContain('katex-sizing reset-size6 size3 mtight');
    expect(classes.some((c) => c.split(' ').some((x) => KATEX_PREFIXED_CLASSES.includes(x)))).toBe(false);
  });

  it('a formula inside a component (an MDX JSX element, as in <Question>) is renamed too', () => {
    const inner = rendered('QK^\\top', false, false);
    const tree = { type: 'root', children: [{ type: 'mdxJsxFlowElement', name: 'Question', attributes: [], children: inner.children }] } as unknown as Root;
    renameKatexClasses(tree);
    expect(classSequence(tree)).toEqual(projectClasses('QK^\\top', false));
  });

  it('an author\'s own class outside a formula keeps its name', () => {
    const tree: Root = { type: 'root', children: [{ type: 'element', tagName: 'span', properties: { className: ['base', 'tag'] }, children: [] }] };
    renameKatexClasses(tree);
    expect((tree.children[0] as Element).properties.className).toEqual(['base', 'tag']);
  });
});
