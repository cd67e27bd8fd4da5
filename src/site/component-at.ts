/**
 * A chapter component's work, marked with its element's place (the `workbookAt` prop the MDX
 * plugin gives it, site/mdx-locate.ts) when it throws: the build then names the line of the
 * element in the chapter, as `workbook check` does for a problem's.
 */
export function atElement<T>(props: object, work: () => T): T {
  try {
    return work();
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    const at = (props as { workbookAt?: unknown }).workbookAt;
    const m = typeof at === 'string' ? /^(.*):(\d+):(\d+)$/.exec(at) : null;
    const marked = error as Error & { workbookAt?: unknown };
    if (m && marked.workbookAt === undefined) marked.workbookAt = { file: m[1]!, line: Number(m[2]), column: Number(m[3]), code: '' };
    throw error;
  }
}
