/**
 * The build's log destination (site/build-log.ts): Astro's own lines pass through as Astro's node
 * logger prints them; Astro's two halves of a page's line (its file when it starts, its time once
 * written) are left out, and the page watch's whole line is printed instead.
 */
import type { AstroLoggerMessage } from 'astro';
import { afterEach, describe, expect, it, vi } from 'vitest';
import buildLog, { PAGE_LINE_LABEL, pageLine } from '../../src/site/build-log.ts';

let out: string[] = [];
afterEach(() => vi.restoreAllMocks());

function written(events: AstroLoggerMessage[]): string {
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(`[stderr]${String(chunk)}`), true));
  const log = buildLog();
  for (const event of events) log.write(event);
  vi.restoreAllMocks();
  return out.join('');
}

const ESC = '\u001b';
const event = (label: string | null, message: string, newLine = true, level: AstroLoggerMessage['level'] = 'info'): AstroLoggerMessage => ({ label, message, newLine, level });

describe('the build log', () => {
  it.each([
    ['a page starting, coloured', event(null, `  ${ESC}[34m├─${ESC}[39m ${ESC}[2m/problems/hw1/q1/index.html${ESC}[22m`, false)],
    ['a page starting, plain', event(null, '  ├─ /404.html', false)],
    ['a page written', event('SKIP_FORMAT', ` ${ESC}[2m(+12ms)${ESC}[22m `)],
    ['a slow page written', event('SKIP_FORMAT', ` ${ESC}[31m(+1.25s)${ESC}[39m `)],
    ['an empty page', event('SKIP_FORMAT', ' (+3ms) (file not created, response body was empty)')],
    ['a page from the incremental cache', event('SKIP_FORMAT', ' (cached)')],
  ])("leaves out Astro's half line: %s", (_name, e) => {
    expect(written([e])).toBe('');
  });

  it("passes Astro's other lines through as its node logger prints them", () => {
    // Coloured where the terminal (or CI) asks for colour: the text without them.
    const text = written([
      event('build', '✓ Completed in 2.68s.'),
      event('SKIP_FORMAT', ' generating static routes '),
      event(null, '  ├─ not a page, ends its line'),
      event('vite', 'a warning', true, 'warn'),
      event('build', 'an error', true, 'error'),
    ]).replace(/\u001b\[[0-9;]*m/g, '');
    expect(text).toMatch(/\[build\] ✓ Completed in 2\.68s\.\n/);
    expect(text).toContain(' generating static routes \n');
    expect(text).toMatch(/ {2}├─ not a page, ends its line\n/);
    expect(text).toMatch(/\[WARN\] \[vite\] a warning\n/);
    expect(text).toMatch(/\[stderr\].*\[ERROR\] \[build\] an error\n/);
  });

  it("prints the page watch's line whole, as it is", () => {
    const line = pageLine('/problems/hw1/q1/', 12.4, new Date(2026, 11, 8, 9, 5, 7));
    expect(written([event(PAGE_LINE_LABEL, line)])).toBe(`${line}\n`);
  });

  it.each([
    [12.4, '(+12ms)'],
    [999.4, '(+999ms)'],
    [1234, '(+1.23s)'],
  ])('times a page of %f ms as Astro does: %s', (ms, shown) => {
    const line = pageLine('/p/', ms, new Date(2026, 11, 8, 9, 5, 7)).replace(/\u001b\[[0-9;]*m/g, '');
    expect(line).toBe(`09:05:07   ├─ /p/ ${shown}`);
  });
});
