/**
 * The page checks the browser tests share (surfaces.test.ts on every page, llm-pages.test.ts on a
 * few): no sideways scroll, nothing wider than its column, derivations whole, axe-core rules.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core rules on labels and accessible names, landmarks and headings. */
export const STRUCTURE_RULES = [
  'label',
  'label-title-only',
  'aria-input-field-name',
  'button-name',
  'link-name',
  'select-name',
  'svg-img-alt',
  'role-img-alt',
  'image-alt',
  'scrollable-region-focusable',
  'aria-allowed-role',
  'aria-allowed-attr',
  'aria-prohibited-attr',
  'aria-valid-attr-value',
  'aria-roles',
  'region',
  'landmark-one-main',
  'landmark-no-duplicate-main',
  'landmark-unique',
  'landmark-main-is-top-level',
  'landmark-banner-is-top-level',
  'landmark-contentinfo-is-top-level',
  'landmark-complementary-is-top-level',
  'page-has-heading-one',
  'heading-order',
  'empty-heading',
  'document-title',
  'html-has-lang',
];
/** What is wrong with the page in view, in words; [] when nothing is. Runs in the page. */
export function layoutProblems(): string[] {
  const problems: string[] = [];
  const name = (el: Element) => `${el.tagName.toLowerCase()}${el.classList.length ? `.${[...el.classList].join('.')}` : ''} "${(el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 50)}"`;
  const shown = (el: Element) => el.getClientRects().length > 0;
  // Collapsed derivations are measured open, as a reader who opens them sees them.
  for (const d of document.querySelectorAll('details')) d.open = true;
  const root = document.documentElement;
  for (const e of document.querySelectorAll('.katex-error')) problems.push(`a formula failed to render: ${(e.getAttribute('title') ?? '').slice(0, 120)}`);
  if (root.scrollWidth > root.clientWidth) problems.push(`the page scrolls sideways: ${root.scrollWidth} px in ${root.clientWidth} px`);
  const region = (el: Element): HTMLElement | null => {
    const r = el.closest<HTMLElement>('[role="region"]');
    return r && r.getAttribute('tabindex') === '0' && (r.hasAttribute('aria-label') || r.hasAttribute('aria-labelledby')) ? r : null;
  };
  for (const el of document.querySelectorAll<HTMLElement>('.katex-display, table')) {
    if (!shown(el)) continue;
    const scroller = el.tagName === 'TABLE' ? region(el) : null;
    if (scroller) {
      if (scroller.scrollWidth > scroller.clientWidth) {
        const cue = scroller.querySelector('.scroll-cue');
        if (!cue || !shown(cue) || getComputedStyle(cue).visibility === 'hidden') problems.push(`a scroll region scrolls without a visible cue: ${name(el)}`);
      }
      continue;
    }
    const parent = el.parentElement!;
    const style = getComputedStyle(parent);
    const room = parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const width = Math.max(el.getBoundingClientRect().width, el.scrollWidth);
    if (width > room + 1) problems.push(`${width.toFixed(0)} px wide in ${room.toFixed(0)} px: ${name(el)}`);
  }
  for (const d of document.querySelectorAll<HTMLElement>('.derivation-lines, .derivation .math-display')) {
    if (!shown(d)) continue;
    if (d.scrollWidth > d.clientWidth) problems.push(`a derivation scrolls (${d.scrollWidth} px in ${d.clientWidth} px): ${name(d)}`);
  }
  // Every piece of math is inside the viewport and inside every box that clips it.
  for (const base of document.querySelectorAll<HTMLElement>('main .katex-base')) {
    if (!shown(base) || region(base)) continue;
    const r = base.getBoundingClientRect();
    let clip: HTMLElement | null = base.parentElement;
    let box = { left: 0, right: root.clientWidth };
    for (; clip && clip !== root; clip = clip.parentElement) {
      if (getComputedStyle(clip).overflowX !== 'visible') {
        const c = clip.getBoundingClientRect();
        box = { left: Math.max(box.left, c.left), right: Math.min(box.right, c.right) };
      }
    }
    if (r.left < box.left - 1 || r.right > box.right + 1) {
      problems.push(`math cut off (${r.left.toFixed(0)}..${r.right.toFixed(0)} px, shown ${box.left.toFixed(0)}..${box.right.toFixed(0)}): ${name(base.closest('.katex')!)}`);
      break;
    }
  }
  return problems;
}

/** axe-core's violations of the given rules, or of every rule it runs by default ('all'). */
export async function axeViolations(page: Page, rules: readonly string[] | 'all'): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (ruleIds) => {
    const w = window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; help: string; nodes: { target: string[]; failureSummary?: string }[] }[] }> } };
    const result = await w.axe.run(document, { ...(ruleIds === 'all' ? {} : { runOnly: { type: 'rule', values: ruleIds } }), resultTypes: ['violations'] });
    return result.violations.flatMap((v) => v.nodes.slice(0, 3).map((n) => `${v.id}: ${n.target.join(' ')}: ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ').slice(0, 160)}`));
  }, rules);
}

