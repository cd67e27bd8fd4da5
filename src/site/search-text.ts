/**
 * What the search index reads of a page: the page's HTML made to read as text, since Pagefind
 * joins the text of neighbouring inline elements without a space and so writes excerpts such as
 * "parametersmodel sizeactivations" (a problem's topic tags) or "Linear 137,748,736 MACs" (the
 * answer "Linear 1" and its figure 37,748,736). Pages are rewritten as strings, in one pass over
 * their tags: a DOM parser took 3 s for the 52 searchable pages of the example course.
 */

/**
 * KaTeX writes each formula three times (MathML for screen readers, its TeX source as an
 * annotation, and the visible HTML); the index keeps the visible text only, so excerpts show
 * `MACs = 96 × 55`, not `\text{MACs}\end{aligned}`.
 */
export function withoutTexSource(html: string): string {
  return html.replace(/<span class="katex-mathml">[\s\S]*?<\/math><\/span>/g, '');
}

/**
 * Derivations are left out of the index: a line of typeset arithmetic reads as run-together
 * symbols in an excerpt ("MACsfc1=ci⋅co =9,216×4,096"), and the figure it ends with is on the
 * answer's own line, which is indexed.
 */
export function withoutDerivations(html: string): string {
  return html.replace(/<details class="derivation\b/g, '<details data-pagefind-ignore class="derivation');
}

/**
 * A space between an element's end and the next element's start when nothing separates them
 * (`</a><a`, `</th><th>`: Pagefind reads table cells and inline elements as one line), outside
 * formulas: inside KaTeX's HTML, neighbouring spans are the digits and separators of one number
 * (`9`, `,`, `216`). Elements that are meant to touch (`<b>x</b><i>y</i>`) are rare in pages
 * written from MDX, and a space there costs an excerpt less than a missing one.
 */
export function spacedElements(html: string): string {
  const tag = /<(\/?)([a-zA-Z][\w-]*)\b([^>]*)>/g;
  let out = '';
  let last = 0;
  /** Open spans inside the formula being read; 0 outside formulas. */
  let mathDepth = 0;
  /** The end of the last element closed outside a formula, when nothing has followed it yet. */
  let closedAt = -1;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    const [whole, closing, rawName, attrs] = m as unknown as [string, string, string, string];
    const name = rawName.toLowerCase();
    if (name === 'script' || name === 'style') {
      // Their content is not markup: skip to their end.
      if (!closing) {
        const end = html.indexOf(`</${name}`, tag.lastIndex);
        tag.lastIndex = end < 0 ? html.length : end;
      }
      closedAt = -1;
      continue;
    }
    if (mathDepth > 0) {
      if (name === 'span' && !attrs.endsWith('/')) mathDepth += closing ? -1 : 1;
      continue;
    }
    if (!closing && closedAt === m.index) {
      out += `${html.slice(last, m.index)} `;
      last = m.index;
    }
    if (!closing && name === 'span' && /\bclass="katex(?:-display)?\b/.test(attrs)) {
      mathDepth = 1;
      closedAt = -1;
      continue;
    }
    closedAt = closing ? m.index + whole.length : -1;
  }
  return out + html.slice(last);
}

/** The page as the index should read it. */
export function searchableHtml(html: string): string {
  return spacedElements(withoutDerivations(withoutTexSource(html)));
}
