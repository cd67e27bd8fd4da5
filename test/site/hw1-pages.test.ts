/**
 * The built HW1 pages: every reference value appears as the answer it belongs to, beside a
 * derivation rendered by KaTeX (HTML for the eye, MathML for screen readers), ending in that value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { answersOf, buildSite, textOf, type BuiltSite } from '../helpers/site.ts';

/** The TeX KaTeX keeps in the MathML annotation of each line of the derivation in `html` (its symbol, then each `= ...` line), entities decoded. */
function derivationTexOf(html: string): string[] {
  const lines = [...html.matchAll(/<span class="derivation-(?:symbol|form)">[\s\S]*?<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>/g)];
  return lines.map((m) => m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/^\\displaystyle /, ''));
}

let site: BuiltSite;
beforeAll(async () => {
  site = await buildSite();
});

/** The answer as displayed (the key's string), and, when that is rounded, the derivation's exact last line. */
const cases: [page: string, answer: string, text: string, exact?: string][] = [
  ['/problems/hw1/q1/', 'weights', '98,816'],
  ['/problems/hw1/q1/', 'biases', '522'],
  ['/problems/hw1/q1/', 'params', '99,338'],
  ['/problems/hw1/q1/', 'paramBytes', '99,338 B'],
  ['/problems/hw1/q1/', 'macs', '98,816 MACs'],
  ['/problems/hw1/q1/', 'sramBytes', '512 B'],
  ['/problems/hw1/q2/', 'params', '934,944'],
  ['/problems/hw1/q2/', 'paramBytes', '3,739,776 B'],
  ['/problems/hw1/q2/', 'macs', '933,888 MACs'],
  ['/problems/hw1/q2/', 'cycles', '3,735,552 cycles'],
  ['/problems/hw1/q2/', 'latencyMs', '46.7 ms', '46.6944'],
  ['/problems/hw1/q2/', 'sramBytes', '7,168 B'],
];

describe('HW1 problem pages (solutions edition)', () => {
  it.each(cases)('%s shows %s = %s with its KaTeX derivation', (page, name, text, exact) => {
    const answer = answersOf(site.page(page)).find((a) => a.name === name);
    expect(answer, `answer ${name} on ${page}`).toBeDefined();
    const html = answer!.html;
    expect(textOf(html.split('<details')[0]!)).toContain(text);
    // Rendered math, both the visual HTML and the MathML for assistive technology.
    expect(html).toContain('class="derivation-lines"');
    expect(html).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML"');
    // The derivation's last line is the same value, exact (TeX groups thousands as {,}).
    const lines = derivationTexOf(html);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const number = (exact ?? text.split(' ')[0]!).replace(/,/g, '{,}');
    expect(lines[lines.length - 1]!.trimEnd()).toMatch(new RegExp(`^= ${number.replace(/[{}.]/g, '\\$&')}(\\\\ \\\\text\\{[^}]+\\})?$`));
  });

  it('Q2 derivation of latency reads MACs k / (f 10^3) with the numbers substituted', () => {
    const latency = answersOf(site.page('/problems/hw1/q2/')).find((a) => a.name === 'latencyMs')!.html;
    const tex = derivationTexOf(latency).join(' ');
    expect(tex).toContain('\\frac{\\text{MACs} \\cdot k}{f \\cdot 10^3}');
    expect(tex).toContain('\\frac{933{,}888 \\times 4}{80 \\times 10^3}');
  });

  it('Q1 carries the errata note on the bias count', () => {
    const text = textOf(site.page('/problems/hw1/q1/'));
    expect(text).toContain('Erratum in the handout');
    expect(text).toMatch(/The biases number 522 , not 512/);
  });

  it('authors’ own formulas are rendered by rehype-katex', () => {
    const html = site.page('/problems/hw1/q1/');
    expect(html).toContain('<annotation encoding="application/x-tex">|W_i| = n_{i-1} \\, n_i</annotation>');
  });

  it('the index lists both problems with links', () => {
    const html = site.page('/');
    expect(html).toContain('href="/problems/hw1/q1/"');
    expect(html).toContain('href="/problems/hw1/q2/"');
    expect(textOf(html)).toContain('HW1 Q2: storage, latency and SRAM of a 32-bit MLP on a microcontroller');
  });

  it('no page but search, practice, the sets\' student sheets and the analyzer ships JavaScript (search loads Pagefind; practice checks answers; a sheet makes a student\'s variants; the analyzer computes)', () => {
    const pages = site.files().filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(5);
    const withScripts = pages.filter((f) => /<script(?! type="application\/json")/.test(readFileSync(join(site.dir, f), 'utf8')));
    const sheet = /^sets\/[^/]+\/student\/index\.html$/;
    expect(withScripts.filter((f) => !f.startsWith('practice/') && !sheet.test(f)).sort()).toEqual(['analyze/index.html', 'search/index.html']);
    expect(withScripts.filter((f) => f.startsWith('practice/')).length).toBeGreaterThan(0);
    // Scripts outside Pagefind are the practice page's and the analyzer's (and KaTeX, which they load on demand).
    const js = site.files().filter((f) => f.endsWith('.js') && !f.startsWith('pagefind/'));
    expect(js.length).toBeGreaterThan(0);
    expect(js.every((f) => f.startsWith('_astro/'))).toBe(true);
  });
});
