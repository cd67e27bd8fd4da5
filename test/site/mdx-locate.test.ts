/**
 * The MDX plugin's marks (src/site/mdx-locate.ts), on MDX compiled as Astro compiles it (the same
 * @mdx-js/mdx, with a JSX runtime that calls components as functions):
 * - an expression tells the page watch its place while it runs (begin/end, restored after), so a
 *   page that ends the process or never returns inside it is named there; `await` included;
 * - a problem's component elements get their place as `workbookAt`, which locatedComponents takes
 *   off their props and puts on what they throw (src/site/component-at.ts), so the build and
 *   `workbook dev` name the element's line (page-error.ts).
 */
import { evaluate } from '@mdx-js/mdx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { locatedComponents } from '../../src/site/component-at.ts';
import { remarkLocateCode } from '../../src/site/mdx-locate.ts';
import { pageErrorLine, placeOf } from '../../src/site/page-error.ts';

const ROOT_DIR = '/tmp/workbook-mdx-locate-course';
const FILE = 'problems/hw1/q1.mdx';
const MARK = Symbol.for('workbook.codeMark');
const before = process.env.WORKBOOK_COURSE_DIR;
let marks: string[];

beforeEach(() => {
  process.env.WORKBOOK_COURSE_DIR = ROOT_DIR;
  marks = [];
  let now = 'page';
  (globalThis as Record<symbol, unknown>)[MARK] = {
    begin(place: string) {
      marks.push(`begin ${place}`);
      const previous = now;
      now = place;
      return previous;
    },
    end(previous: string) {
      marks.push(`end -> ${previous}`);
      now = previous;
    },
  };
});
afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[MARK];
  if (before === undefined) delete process.env.WORKBOOK_COURSE_DIR;
  else process.env.WORKBOOK_COURSE_DIR = before;
});

type Element = { type: unknown; props: Record<string, unknown> };
/** Calls a component as MDX's runtime would (an Astro component as Astro does: result, props, slots). */
const jsx = (type: unknown, props: Record<string, unknown>): unknown => {
  if (typeof type !== 'function') return { type, props };
  return (type as { isAstroComponentFactory?: boolean }).isAstroComponentFactory ? (type as (r: object, p: object, s: object) => unknown)({}, props, {}) : (type as (p: object) => unknown)(props);
};

/** The MDX's content, rendered with `components`. */
async function render(text: string, components: Record<string, unknown> = {}): Promise<unknown> {
  const mod = await evaluate({ value: text, path: `${ROOT_DIR}/${FILE}` }, { jsx, jsxs: jsx, Fragment: 'fragment', remarkPlugins: [remarkLocateCode] } as never);
  return (mod.default as (props: object) => unknown)({ components });
}

describe('mdx-locate: expressions tell the page watch where they are while they run', () => {
  it('each expression, declaration and prop value: begun at its place, and the previous name put back', async () => {
    await render('Text {1 + 1} and\n\n<Answer of="params" expect={3} />\n\nexport const x = 2 * 3\n', { Answer: () => null });
    expect(marks).toEqual([
      `begin ${FILE}:5:18: const x`,
      'end -> page',
      `begin ${FILE}:1:6: {1 + 1}`,
      'end -> page',
      `begin ${FILE}:3:21: <Answer> expect={3}`,
      'end -> page',
    ]);
  });

  it('an expression with await: marked until its promise settles, and what it throws located', async () => {
    const text = 'export const late = await Promise.resolve(7)\n\nLate: {late}, then {await Promise.reject(new Error("a"))}\n';
    const error = await render(text).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(marks).toEqual([`begin ${FILE}:1:21: const late`, 'end -> page', `begin ${FILE}:3:7: {late}`, 'end -> page', `begin ${FILE}:3:20: {await Promise.reject(new Error("a"))}`, 'end -> page']);
    expect(pageErrorLine(error, undefined)).toBe(`${FILE}:3:20: {await Promise.reject(new Error("a"))} threw: a`);
  });

  it('an expression that never returns leaves its mark (the watch names it)', async () => {
    await expect(render('Text {(() => { throw new Error("x") })()}')).rejects.toThrow('x');
    // Thrown: the mark is put back; an exit or an endless loop would have left it.
    expect(marks).toEqual([`begin ${FILE}:1:6: {(() => { throw new Error("x") })()}`, 'end -> page']);
  });
});

/** A stand-in for a compiled Astro component: Astro calls it (result, props, slots). */
function factory(work: (props: Record<string, unknown>) => unknown) {
  return Object.assign((_result: unknown, props: Record<string, unknown>) => work(props), { isAstroComponentFactory: true, moduleId: '/x/Given.astro', propagation: 'none' });
}

describe("locatedComponents: a problem component's error at its element", () => {
  it('the component gets its props without workbookAt; its flags are kept', () => {
    const seen: object[] = [];
    const { Given } = locatedComponents({ Given: factory((props) => seen.push(props)) });
    (Given as unknown as (r: object, p: object, s: object) => unknown)({}, { name: 'batch', workbookAt: `${FILE}:4:1` }, {});
    expect(seen).toEqual([{ name: 'batch' }]);
    const flags = Given as unknown as Record<string, unknown>;
    expect([flags.isAstroComponentFactory, flags.moduleId, flags.propagation]).toEqual([true, '/x/Given.astro', 'none']);
  });

  it("what its script throws (at once or from its promise) is named at the element, in the component's words, the file once", async () => {
    const message = `${FILE}: <Given name="batch">: not given in the frontmatter; given: paramBits`;
    const components = locatedComponents({ Given: factory(() => { throw new Error(message); }), Value: factory(async () => { throw new Error('<Value of="params">: no figure'); }) });
    const rendered = await render('Intro.\n\n<Given name="batch" />\n', components).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(placeOf(rendered)).toEqual({ file: FILE, line: 3, column: 1, code: '' });
    expect(pageErrorLine(rendered, `${FILE} (page /problems/hw1/q1/)`)).toBe(`${FILE}:3:1: <Given name="batch">: not given in the frontmatter; given: paramBits`);
    const value = (await render('A\n\nB <Value of="params" />\n', components)) as Element;
    const promise = ((value.props.children as unknown[])[2] as Element).props.children as unknown[];
    const thrown = await (promise[1] as Promise<unknown>).catch((e: unknown) => e);
    expect(pageErrorLine(thrown, undefined)).toBe(`${FILE}:3:3: <Value of="params">: no figure`);
  });

  it('an error marked already (an expression inside) keeps its place; anything else passes through', () => {
    const inner = Object.assign(new Error('inner'), { workbookAt: { file: FILE, line: 9, column: 2, code: '{f()}' } });
    const { Question, plain } = locatedComponents({ Question: factory(() => { throw inner; }), plain: 'text' });
    expect(() => (Question as unknown as (r: object, p: object, s: object) => unknown)({}, { workbookAt: `${FILE}:1:1` }, {})).toThrow(inner);
    expect(placeOf(inner)).toEqual({ file: FILE, line: 9, column: 2, code: '{f()}' });
    expect(plain).toBe('text');
  });
});
