/**
 * Authors' formulas (`$...$` in MDX) are rendered by rehype-katex, which brings its own KaTeX
 * (0.16), while the site's stylesheet is the project's KaTeX (0.19, `katex/dist/katex.min.css`).
 * KaTeX 0.18 prefixed twenty internal classes with `katex-` (KaTeX/KaTeX#4229), so 0.16's markup
 * lost their rules: without `.katex-base`'s nowrap, `QK^\top` broke across a line of the llm
 * handout, and without `.katex-sizing` sub- and superscripts came out at full size. This rehype
 * plugin, run after rehype-katex, gives those classes the names the project's KaTeX writes; for
 * every formula of the example course the markup is then the project's KaTeX's, class for class
 * (test/site/katex-classes.test.ts). A rehype-katex that brings KaTeX 0.18 or later leaves nothing
 * to rename.
 */
import type { Element, Root, RootContent } from 'hast';

/** The classes KaTeX 0.18 prefixed (KaTeX/KaTeX#4229), by their 0.16 names. */
export const KATEX_PREFIXED_CLASSES: readonly string[] = [
  'newline', 'base', 'strut', 'vbox', 'overline', 'underline', 'thinbox', 'rule', 'smash', 'fix',
  'inner', 'root', 'hline', 'hdashline', 'sizing', 'accent', 'overlay', 'stretchy', 'sout', 'tag',
];
const PREFIXED = new Set(KATEX_PREFIXED_CLASSES);

const classesOf = (e: Element): unknown[] => (Array.isArray(e.properties?.className) ? e.properties.className : []);

/**
 * Renames the prefixed classes inside each `.katex` element (an author's own `class="base"`
 * elsewhere stays). Every node with children is entered: in MDX a formula may sit inside a
 * component (`<Question>`), an `mdxJsxFlowElement` rather than an element.
 */
export function renameKatexClasses(tree: Root | Element): void {
  const visit = (node: RootContent | Root, inKatex: boolean): void => {
    if (!('children' in node)) return;
    let inside = inKatex;
    if (node.type === 'element') {
      const classes = classesOf(node);
      inside ||= classes.includes('katex');
      if (inside && classes.some((c) => typeof c === 'string' && PREFIXED.has(c))) {
        node.properties.className = classes.map((c) => (typeof c === 'string' && PREFIXED.has(c) ? `katex-${c}` : c)) as string[];
      }
    }
    for (const child of node.children as RootContent[]) visit(child, inside);
  };
  visit(tree, false);
}

export function rehypeKatexClasses() {
  return (tree: Root): void => renameKatexClasses(tree);
}
