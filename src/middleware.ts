/**
 * Every page's render marked begun and ended for the build's page watch (site/page-watch.ts):
 * the response is read whole here, so the mark covers the page's streamed body too.
 *
 * In a build, each page is also handed to the search indexer as it is rendered (site/search-feed.ts).
 *
 * In a build, an error a page throws (an author's expression, a component given props it cannot
 * use) stops the build with one located line (site/page-error.ts) and nothing published;
 * WORKBOOK_DEBUG=1 adds the error's stack (for the generator's developers).
 *
 * In `astro dev` the same: the page is read whole before anything is sent, and an error it throws
 * becomes the located "Authoring error" a broken problem's page throws (site/dev-check.ts): the
 * line in the terminal and in the browser's error overlay, no stack; the page renders again once
 * the file is fixed. Outside both (tests) the page passes through.
 */
import { defineMiddleware } from 'astro:middleware';
import { locatedError } from './site/dev-check.ts';
import { pageErrorDiagnostic, pageErrorLine } from './site/page-error.ts';
import { inDevPage, pageBegins, pageEnds, pageNow, pageTurn, watching } from './site/page-watch.ts';
import { feedSearch } from './site/search-feed.ts';

/** The generator's own bug, rather than an author's: its stack, on request. */
const debugStack = (error: unknown) => {
  if (process.env.WORKBOOK_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
};

const whole = async (response: Response) => new Response(await response.arrayBuffer(), { status: response.status, statusText: response.statusText, headers: response.headers });

export const onRequest = defineMiddleware(async (context, next) => {
  if (!watching()) {
    if (!import.meta.env.DEV) return next();
    return inDevPage(context.url.pathname, async () => {
      try {
        return await whole(await next());
      } catch (error) {
        // A problem's check errors are located already.
        if (error instanceof Error && error.name === 'Authoring error') throw error;
        debugStack(error);
        throw locatedError([pageErrorDiagnostic(error, pageNow())]);
      }
    });
  }
  // One page renders at a time; the file of the one before is written meanwhile (site/page-watch.ts).
  const endTurn = await pageTurn();
  pageBegins(context.url.pathname);
  let response: Response;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    const rendered = await next();
    bytes = new Uint8Array(await rendered.arrayBuffer());
    response = new Response(bytes, { status: rendered.status, statusText: rendered.statusText, headers: rendered.headers });
  } catch (error) {
    process.stderr.write(`\n${pageErrorLine(error, pageNow())}\nNothing was built: fix it, then build again.\n`);
    debugStack(error);
    // The build guard's exit hook removes the partial output.
    process.exit(1);
  }
  pageEnds();
  endTurn();
  // To the search indexer now, while the next pages render (site/search-feed.ts).
  feedSearch(context.url.pathname, bytes);
  return response;
});
