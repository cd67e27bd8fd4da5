/**
 * The line the build prints for an error a page threw (src/site/page-error.ts): at the place the
 * MDX plugin marked on it, else the page's file, never twice, one line whatever the message.
 */
import { describe, expect, it } from 'vitest';
import { pageErrorLine, placeOf } from '../../src/site/page-error.ts';

const marked = (message: string, at: object) => Object.assign(new Error(message), { workbookAt: at });

describe('pageErrorLine', () => {
  it("an author's expression: at its place, quoting it", () => {
    const e = marked('boom', { file: 'content/chapters/a.mdx', line: 12, column: 8, code: '{f()}' });
    expect(pageErrorLine(e, 'content/chapters/a.mdx (page /chapters/a/)')).toBe('content/chapters/a.mdx:12:8: {f()} threw: boom');
  });

  it("a chapter component: at its element, in the component's words", () => {
    const e = marked('<Example of="params">: model is missing', { file: 'content/chapters/a.mdx', line: 3, column: 1, code: '' });
    expect(pageErrorLine(e, undefined)).toBe('content/chapters/a.mdx:3:1: <Example of="params">: model is missing');
  });

  it("an unmarked error: the page's file and URL; a message that names the file is not prefixed twice", () => {
    expect(pageErrorLine(new TypeError('x is not a function'), 'problems/hw1/q1.mdx (page /problems/hw1/q1/)')).toBe('problems/hw1/q1.mdx (page /problems/hw1/q1/): x is not a function (while the page rendered)');
    expect(pageErrorLine(new Error('problems/hw1/q1.mdx: <GemmTable block="x">: no layer'), 'problems/hw1/q1.mdx (page /problems/hw1/q1/)')).toBe('problems/hw1/q1.mdx: <GemmTable block="x">: no layer (page /problems/hw1/q1/, while it rendered)');
  });

  it('anything thrown, in one line: a string, a multi-line message, an empty one', () => {
    expect(pageErrorLine('plain', 'p.mdx (page /p/)')).toBe('p.mdx (page /p/): plain (while the page rendered)');
    expect(pageErrorLine(marked('two\nlines', { file: 'a.mdx', line: 1, column: 1, code: '{x}' }), undefined)).toBe('a.mdx:1:1: {x} threw: two\\nlines');
    expect(pageErrorLine(new RangeError(''), undefined)).toBe('a page: RangeError (while the page rendered)');
  });

  it('a mark that is not a place is ignored', () => {
    expect(placeOf(marked('m', { file: 'a.mdx', line: '1' }))).toBeUndefined();
    expect(placeOf(null)).toBeUndefined();
  });
});
