/**
 * zod's issues as an author reads them: the field's dotted path, what is wrong, and the nearest
 * valid name for an unknown key or option.
 */
import type { z } from '../../engine/schema.ts';
import { didYouMean, nearestName } from './diagnostics.ts';

type Issue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;

export interface FieldIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** The keys an object schema at `path` allows (through defaults, optionals, records, arrays, unions). */
export function keysAt(schema: Schema, path: readonly PropertyKey[]): string[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'default':
    case 'optional':
    case 'nullable':
    case 'prefault':
      return keysAt(def.innerType as Schema, path);
    case 'pipe':
      return keysAt(def.in as Schema, path);
    case 'union':
      return [...new Set((def.options as Schema[]).flatMap((o) => keysAt(o, path)))];
    case 'object': {
      const shape = def.shape as Record<string, Schema>;
      if (path.length === 0) return Object.keys(shape);
      const next = shape[String(path[0])];
      return next ? keysAt(next, path.slice(1)) : [];
    }
    case 'record':
      return path.length === 0 ? [] : keysAt(def.valueType as Schema, path.slice(1));
    case 'array':
      return path.length === 0 ? [] : keysAt(def.element as Schema, path.slice(1));
    default:
      return [];
  }
}

const dotted = (path: readonly PropertyKey[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');

/**
 * One field issue per problem zod found; a union's issues come from its closest branch. A field
 * reported missing beside an unknown field that is its near-spelling (`dificulty`) is left out:
 * the unknown field's "did you mean difficulty?" says it all.
 */
export function fieldIssues(schema: Schema, issues: readonly Issue[], base: readonly PropertyKey[] = []): FieldIssue[] {
  const unknownAt = new Map<string, string[]>();
  for (const issue of issues) if (issue.code === 'unrecognized_keys') unknownAt.set(JSON.stringify(issue.path), [...issue.keys]);
  return issues.flatMap((issue): FieldIssue[] => {
    const path = [...base, ...issue.path];
    const input = (issue as { input?: unknown }).input;
    const missing = input === undefined && issue.path.length > 0 && issue.code !== 'unrecognized_keys' && (issue.code !== 'invalid_union' || 'input' in issue);
    if (missing) {
      const key = String(issue.path.at(-1));
      const typos = unknownAt.get(JSON.stringify(issue.path.slice(0, -1))) ?? [];
      if (typos.some((t) => nearestName(t, [key]) === key)) return [];
      return [{ path, message: `${dotted(path)}: required${'expected' in issue ? ` (${String(issue.expected)})` : ''}` }];
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Fewest issues; of as few, the branch that read deepest into the value (an object's
      // field, not "expected string" of the whole object).
      const depth = (branch: readonly Issue[]) => Math.max(0, ...branch.map((i) => i.path.length));
      const closest = [...issue.errors].sort((a, b) => a.length - b.length || depth(b) - depth(a))[0]!;
      return fieldIssues(schema, closest, path);
    }
    if (issue.code === 'unrecognized_keys') {
      const allowed = keysAt(schema, path);
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: `${dotted([...path, key])}: unknown field${didYouMean(key, allowed)}${allowed.length ? `; allowed: ${allowed.join(', ')}` : ''}`,
      }));
    }
    if (issue.code === 'invalid_value' && issue.values.every((v) => typeof v === 'string')) {
      const values = issue.values as string[];
      const input = (issue as { input?: unknown }).input;
      const near = typeof input === 'string' ? didYouMean(input, values) : '';
      return [{ path, message: `${dotted(path)}: ${typeof input === 'string' ? `'${input}' is not allowed` : 'not allowed'}${near}; allowed: ${values.join(', ')}` }];
    }
    return [{ path, message: `${path.length ? `${dotted(path)}: ` : ''}${issue.message}` }];
  });
}

export { dotted };
