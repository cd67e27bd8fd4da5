/**
 * Reading a user's file for the CLI: size-limited, text only, a UTF-8 byte-order mark dropped.
 * Errors name the file and say what is wrong in one line.
 */
import { readFileSync, statSync } from 'node:fs';
import { MODEL_LIMITS } from '../engine/index.ts';

/** A file that cannot be used: the message names it. */
export class FileError extends Error {}

/**
 * A text file, refused before it is read when larger than MODEL_LIMITS.fileBytes, or when it is
 * not text (a NUL byte, or bytes that are not UTF-8); a UTF-8 byte-order mark is dropped.
 */
export function readText(path: string, what = 'file'): string {
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > MODEL_LIMITS.fileBytes) {
      throw new FileError(`${path}: the ${what} is ${size.toLocaleString('en-US')} bytes; the limit is ${MODEL_LIMITS.fileBytes.toLocaleString('en-US')} bytes (16 MiB)`);
    }
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError(`${path}: cannot read the ${what} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FileError(`${path}: not a text file (its bytes are not UTF-8)`);
  }
  if (text.includes('\u0000')) throw new FileError(`${path}: not a text file (it holds NUL bytes)`);
  return text.replace(/^\uFEFF/, '');
}
