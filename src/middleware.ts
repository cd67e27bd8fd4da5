/**
 * Every page's render marked begun and ended for the build's page watch (site/page-watch.ts):
 * the response is read whole here, so the mark covers the page's streamed body too. Outside a
 * build there is no watch and the page passes through.
 *
 * In a build, an error a page throws (an author's expression, a component given props it cannot
 * use) stops the build with one located line (site/page-error.ts) and nothing published;
 * WORKBOOK_DEBUG=1 adds the error's stack (for the generator's developers).
 */
import { defineMiddleware } from 'astro:middleware';
import { pageErrorLine } from './site/page-error.ts';
import { pageBegins, pageEnds, pageNow, watching } from './site/page-watch.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  if (!watching()) return next();
  pageBegins(context.url.pathname);
  let body: ArrayBuffer;
  let response: Response;
  try {
    response = await next();
    body = await response.arrayBuffer();
  } catch (error) {
    process.stderr.write(`\n${pageErrorLine(error, pageNow())}\nNothing was built: fix it, then build again.\n`);
    // The generator's own bug, rather than an author's: its stack, on request.
    if (process.env.WORKBOOK_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    // The build guard's exit hook removes the partial output.
    process.exit(1);
  }
  pageEnds();
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
});
