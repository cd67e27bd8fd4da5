/** Reading a roster file for the CLI: size-limited, its bytes checked line by line (src/publish/roster.ts). */
import { readFileSync, statSync } from 'node:fs';
import { MODEL_LIMITS } from '../engine/index.ts';
import { parseRoster, type Student } from '../publish/roster.ts';
import { FileError } from './files.ts';

export function readRosterFile(path: string): Student[] {
  let bytes: Buffer;
  try {
    const stats = statSync(path);
    // A named pipe or a device would be waited on for ever: only regular files are read.
    if (!stats.isFile()) throw new FileError(`${path}: the roster is not a regular file`);
    const size = stats.size;
    if (size > MODEL_LIMITS.fileBytes) throw new FileError(`${path}: the roster is ${size.toLocaleString('en-US')} bytes; the limit is ${MODEL_LIMITS.fileBytes.toLocaleString('en-US')} bytes (16 MiB)`);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError(`${path}: cannot read the roster (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseRoster(bytes, path);
}
