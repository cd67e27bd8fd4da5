/**
 * `workbook secret init [--course DIR]`: writes the course secret (32 random bytes as hex) to
 * `.workbook-secret` in the course folder, readable by its owner only, and lists that file in the
 * folder's .gitignore. An existing secret is kept: the keys already handed out depend on it.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { courseRoot } from '../workbook/course.ts';
import { initSecret, SECRET_ENV } from '../publish/secret.ts';
import { fail, UsageError } from './publish.ts';
import type { Io } from './main.ts';

export const SECRET_USAGE = `usage: workbook secret init [--course DIR]

  Writes a random course secret to DIR/.workbook-secret (git-ignored; an existing one is kept).
  Graded variants (workbook handouts, answers --roster/--student, export) are keyed by it, so
  only its holder can make them; ${SECRET_ENV} in the environment takes its place when set.`;

export function runSecret(argv: readonly string[], io: Io): number {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { course: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      io.out(SECRET_USAGE);
      return 0;
    }
    const [action, ...extra] = positionals;
    if (action !== 'init') throw new UsageError(action ? `unknown action '${action}'; allowed: init` : 'which action? init');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const root = values.course ? resolve(values.course) : courseRoot();
    const { path, created, addedToGitignore } = initSecret(root);
    io.out(`${path}: ${created ? 'a new course secret' : 'the course secret is already there; kept'}${addedToGitignore ? ' (added to .gitignore)' : ''}; keep a copy: keys are made again only with it`);
    return 0;
  } catch (error) {
    return fail('secret', error, io);
  }
}
