/**
 * Every page's render marked begun and ended for the build's page watch (site/page-watch.ts):
 * the response is read whole here, so the mark covers the page's streamed body too. Outside a
 * build there is no watch and the page passes through.
 */
import { defineMiddleware } from 'astro:middleware';
import { pageBegins, pageEnds, watching } from './site/page-watch.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  if (!watching()) return next();
  pageBegins(context.url.pathname);
  const response = await next();
  const body = await response.arrayBuffer();
  pageEnds();
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
});
