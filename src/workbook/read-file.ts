/**
 * Reading a file a user names (a model, a hardware profile): only a regular file, and only when
 * its size, from `stat` before any byte is read, keeps the limit of its format (the engine's
 * `fileSizeProblem`). A named pipe, a device or a directory is refused at once instead of
 * blocking the read forever. For the CLI and the build; the browser checks a dropped file's size.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { fileSizeProblem, type ModelFileFormat } from '../engine/index.ts';

/** A file that cannot be read: the message names it and says why, in one line. */
export class UnreadableFileError extends Error {}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The bytes of a regular file of `format`, or an `UnreadableFileError` naming `path`. */
export function readUserFile(path: string, format: ModelFileFormat, what = 'file'): Buffer {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new UnreadableFileError(`${path}: cannot read the ${what} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (!stats.isFile()) throw new UnreadableFileError(`${path}: the ${what} is ${kindOf(stats)}, not a regular file; give the path of a file`);
  const tooBig = fileSizeProblem(stats.size, format);
  if (tooBig) throw new UnreadableFileError(`${path}: ${tooBig}`);
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UnreadableFileError(`${path}: cannot read the ${what} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
