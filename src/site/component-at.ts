/**
 * A component's work, marked with its element's place (the `workbookAt` prop the MDX plugin gives
 * it, site/mdx-locate.ts) when it throws: the build and `workbook dev` then name the line of the
 * element in the MDX file (site/page-error.ts), as `workbook check` does.
 */

type Thrown = Error & { workbookAt?: unknown };

/** `thrown` as an Error marked with `at` ("file:line:column"), unless it is marked already. */
function markedAt(thrown: unknown, at: unknown): Thrown {
  const error: Thrown = thrown instanceof Error ? thrown : new Error(String(thrown));
  const m = typeof at === 'string' ? /^(.*):(\d+):(\d+)$/.exec(at) : null;
  if (m && error.workbookAt === undefined) {
    try {
      error.workbookAt = { file: m[1]!, line: Number(m[2]), column: Number(m[3]), code: '' };
    } catch {
      // A frozen error stays as it is.
    }
  }
  return error;
}

/**
 * A component's computation, marked with the `workbookAt` in the props it is given. The site's
 * components are wrapped by locatedComponents, which marks for them (and takes the prop off), so
 * this matters for a component rendered unwrapped.
 */
export function atElement<T>(props: object, work: () => T): T {
  try {
    return work();
  } catch (thrown) {
    throw markedAt(thrown, (props as { workbookAt?: unknown }).workbookAt);
  }
}

/** An Astro component as Astro calls it: (result, props, slots), maybe async; flags Astro reads. */
type Factory = ((result: unknown, props: Record<string, unknown>, slots: unknown) => unknown) & {
  isAstroComponentFactory?: boolean;
  moduleId?: string;
  propagation?: unknown;
};

/**
 * A problem's components, each taking its element's `workbookAt` off its props (the component
 * never sees it) and marking what its script throws with it: an error `workbook check` did not
 * foresee is named at the element's line and column, not the page's file alone. What the
 * component's children throw is theirs (each wrapped the same way).
 */
export function locatedComponents<T extends Record<string, unknown>>(components: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, component] of Object.entries(components)) {
    const factory = component as Factory;
    if (typeof factory !== 'function' || !factory.isAstroComponentFactory) {
      out[name] = component;
      continue;
    }
    const located = (result: unknown, props: Record<string, unknown>, slots: unknown) => {
      const { workbookAt, ...rest } = props ?? {};
      try {
        const value = factory(result, rest, slots);
        return value instanceof Promise ? value.catch((thrown: unknown) => Promise.reject(markedAt(thrown, workbookAt))) : value;
      } catch (thrown) {
        throw markedAt(thrown, workbookAt);
      }
    };
    Object.defineProperty(located, 'name', { value: factory.name });
    out[name] = Object.assign(located, { isAstroComponentFactory: true, moduleId: factory.moduleId, propagation: factory.propagation });
  }
  return out as T;
}
