/**
 * What the prebuilt bundles (client-prebuild.ts, node-prebuild.ts) share: the generator's folder,
 * the names and hashes of their input files, and writing a file whole. An input is named the same
 * wherever the package is installed, so a bundle made by `npm pack` is fresh in a course.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The generator's folder (this package's root). */
export const GENERATOR_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** `root` and each folder above it. */
function ancestors(root: string): string[] {
  const dirs: string[] = [];
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    dirs.push(dir);
    if (dirname(dir) === dir) return dirs;
  }
}

/**
 * An input's name in the manifest, the same wherever the package is installed: a path in the
 * generator's folder, or `node_modules/<path>` for a dependency found by Node's lookup from the
 * generator (its own node_modules or one above: a course's, where npm hoists them).
 */
export function inputKey(file: string, root = GENERATOR_ROOT): string {
  const own = relative(root, file);
  if (!own.startsWith('..') && !isAbsolute(own) && !own.split(sep).includes('node_modules')) return own.split(sep).join('/');
  for (const dir of ancestors(root)) {
    const modules = join(dir, 'node_modules') + sep;
    if (file.startsWith(modules)) return `node_modules/${file.slice(modules.length).split(sep).join('/')}`;
  }
  return file;
}

/** The file an input's name stands for, looked up as Node would; undefined if there is none. */
export function inputFile(key: string, root = GENERATOR_ROOT): string | undefined {
  if (isAbsolute(key)) return existsSync(key) ? key : undefined;
  if (!key.startsWith('node_modules/')) {
    const file = join(root, key);
    return existsSync(file) ? file : undefined;
  }
  for (const dir of ancestors(root)) {
    const file = join(dir, key);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** Writes a file whole (a reader sees the old content or the new, never part). */
export function writeWhole(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** A prebuilt bundle's `manifest.json` in `dir`, if there is one of this `version`. */
export function readManifestFile<T extends { readonly version: number }>(dir: string, version: T['version']): T | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as T;
    return manifest.version === version ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** The first input (name -> sha256) that is gone or whose content changed, as a reason; undefined if none. */
export function changedInput(inputs: Readonly<Record<string, string>>, root = GENERATOR_ROOT): string | undefined {
  for (const [key, hash] of Object.entries(inputs)) {
    const file = inputFile(key, root);
    if (!file) return `${key} is gone`;
    if (sha256(readFileSync(file)) !== hash) return `${key} changed`;
  }
  return undefined;
}
