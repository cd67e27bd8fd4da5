/**
 * Loading the generator's own TypeScript faster, from the second build on. Astro's config, the
 * integrations and the course's check import the engine through Node itself (before Vite bundles
 * it again for the pages), and Node strips the types of every file on every start: some 0.5 s of
 * CPU per build for the ~250 files, which Node 22 does not cache. This keeps each file's stripped
 * JavaScript by the hash of its source (and Node's version). (Node's compile cache, V8's code, is
 * left off: turned on this late it would cover mostly the build's own chunks, whose paths change
 * with every build; tried here, builds were no faster.)
 *
 * Only this process's native imports are concerned: files under node_modules (a course's installed
 * generator, which tsx loads) go the usual way, and the stripping is Node's own
 * (`stripTypeScriptTypes`, the same call Node makes), so a file loads exactly as without the cache.
 * A cache that cannot be written (a read-only install) is simply not used.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let installed = false;

/** Caches the stripped sources under `cacheDir`/ts. */
export function installLoadCache(cacheDir: string): void {
  if (installed) return;
  installed = true;
  // Node 22.12-22.14 have no in-thread hooks: they load as before.
  const { registerHooks, stripTypeScriptTypes } = nodeModule as Partial<typeof nodeModule>;
  if (!registerHooks || !stripTypeScriptTypes) return;
  const tsDir = join(cacheDir, 'ts');
  let writable = true;
  try {
    mkdirSync(tsDir, { recursive: true });
  } catch {
    writable = false;
  }
  registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith('file:') || url.includes('/node_modules/')) return nextLoad(url, context);
      const path = fileURLToPath(url);
      if (!path.endsWith('.ts')) return nextLoad(url, context);
      const source = readFileSync(path, 'utf8');
      const file = join(tsDir, `${createHash('sha1').update(`${process.version}\0`).update(source).digest('hex')}.js`);
      let code: string;
      try {
        code = readFileSync(file, 'utf8');
      } catch {
        code = stripTypeScriptTypes(source, { mode: 'strip' });
        if (writable) {
          try {
            // Written whole, then renamed: a build running beside this one reads all of it or none.
            const partial = `${file}.${process.pid}`;
            writeFileSync(partial, code);
            renameSync(partial, file);
          } catch {
            writable = false;
          }
        }
      }
      return { format: 'module', source: code, shortCircuit: true };
    },
  });
}
