/**
 * The log of `astro build` and `astro dev` (astro.config.mjs `logger`): Astro's own
 * (`astro/logger/node`), except its line per page. Astro starts several pages at once
 * (`build.concurrency`) and prints a page's file when it starts and its time once the file is
 * written, so the lines of different pages would be joined and their times given to the wrong page.
 * The page watch prints each page's line instead, whole, when the page has rendered
 * (site/page-watch.ts `pageEnds`): `HH:MM:SS   ├─ /url/ (+12ms)`, its render time.
 */
import type { AstroLoggerDestination, AstroLoggerMessage } from 'astro';
import nodeLog, { type NodeHandlerConfig } from 'astro/logger/node';
import { styleText } from 'node:util';

/** The label of a page's line (an integration logger forked with it): written as it is. */
export const PAGE_LINE_LABEL = 'workbook-page';

const ANSI = /\u001b\[[0-9;]*m/g;
const plain = (event: AstroLoggerMessage) => event.message.replace(ANSI, '');

/** Astro's start of a page's line, `  ├─ /chapters/intro/index.html`, with no newline. */
const isAstroPageStart = (event: AstroLoggerMessage) => event.label === null && !event.newLine && /^\s*[├└]─ /.test(plain(event));
/** Its end: ` (+12ms)`, or ` (cached)` / ` (restored)` from Astro's incremental builds. */
const isAstroPageEnd = (event: AstroLoggerMessage) => event.label === 'SKIP_FORMAT' && /^\s*\((\+[\d.]+m?s|cached|restored)\)/.test(plain(event));

export default function buildLog(config?: NodeHandlerConfig): AstroLoggerDestination {
  const node = nodeLog(config);
  return {
    write(event) {
      if (isAstroPageStart(event) || isAstroPageEnd(event)) return;
      if (event.label === PAGE_LINE_LABEL) process.stdout.write(`${event.message}\n`);
      else node.write(event);
    },
  };
}

const clock = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const dim = (text: string) => styleText('dim', text);

/** A page's line as Astro prints it: the time, the page, how long it took (red from 500 ms). */
export function pageLine(urlPath: string, renderMs: number, now = new Date()): string {
  const took = renderMs < 1000 ? `${Math.round(renderMs)}ms` : `${(renderMs / 1000).toFixed(2)}s`;
  return `${dim(clock.format(now))}   ${styleText('blue', '├─')} ${dim(urlPath)} ${styleText(renderMs >= 500 ? 'red' : 'dim', `(+${took})`)}`;
}
