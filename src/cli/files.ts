/**
 * Reading a user's file for the CLI: size-limited, text only, a UTF-8 byte-order mark dropped.
 * Errors name the file and say what is wrong in one line.
 */
import type { ModelFileFormat } from '../engine/index.ts';
import { readUserFile, UnreadableFileError } from '../workbook/read-file.ts';

/** A file that cannot be used: the message names it. */
export class FileError extends Error {}

/** The bytes of a regular file, refused before it is read past its format's limit (MODEL_LIMITS). */
export function readBytes(path: string, format: ModelFileFormat, what = 'file'): Buffer {
  try {
    return readUserFile(path, format, what);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new FileError(error.message);
    throw error;
  }
}

/**
 * A text file, refused before it is read when larger than MODEL_LIMITS.fileBytes or not a regular
 * file, or when it is not text (a NUL byte, or bytes that are not UTF-8); a UTF-8 byte-order mark
 * is dropped.
 */
export function readText(path: string, what = 'file'): string {
  const bytes = readBytes(path, 'json', what);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FileError(`${path}: not a text file (its bytes are not UTF-8)`);
  }
  if (text.includes('\u0000')) throw new FileError(`${path}: not a text file (it holds NUL bytes)`);
  return text.replace(/^\uFEFF/, '');
}
