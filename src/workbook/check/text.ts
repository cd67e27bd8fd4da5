/**
 * A course's text files (problems, chapters, the course file) read as the build must read them:
 * a regular file of bounded size, valid UTF-8, with no control characters but tab, newline and
 * a carriage return before a newline. A byte-order mark is allowed and dropped. Each refusal is
 * located at the first offending byte's line and column.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Position } from './yaml.ts';

/** A problem, a chapter or a course file is pages of text; more is a mistake (a model belongs in its own file). */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

export type SourceText = { readonly text: string } | { readonly error: { readonly position?: Position; readonly message: string } };

export function readSourceText(path: string): SourceText {
  let fd: number;
  try {
    // Before opening: opening a named pipe would wait for a writer, for ever.
    const stat = statSync(path);
    if (!stat.isFile()) return { error: { message: 'not a regular file' } };
    if (stat.size > MAX_SOURCE_BYTES) return { error: { message: `${stat.size} bytes; the limit for a course's text file is ${MAX_SOURCE_BYTES}` } };
    fd = openSync(path, 'r');
  } catch (error) {
    return { error: { message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` } };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { error: { message: 'not a regular file' } };
    if (stat.size > MAX_SOURCE_BYTES) return { error: { message: `${stat.size} bytes; the limit for a course's text file is ${MAX_SOURCE_BYTES}` } };
    const bytes = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, bytes, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return decodeSource(bytes.subarray(0, read));
  } finally {
    closeSync(fd);
  }
}

/** The text of `bytes`, or where it is not text. */
export function decodeSource(bytes: Uint8Array): SourceText {
  const bad = invalidUtf8At(bytes);
  if (bad !== undefined) {
    const before = new TextDecoder().decode(bytes.subarray(0, bad));
    return { error: { position: positionAt(before, before.length), message: `byte 0x${bytes[bad]!.toString(16).padStart(2, '0').toUpperCase()} at offset ${bad} is not UTF-8; save the file as UTF-8` } };
  }
  // The BOM kept, then dropped here: one at the start is allowed, like the site's parsers allow it.
  let text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\r(?!\n)/.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0);
    const name = CONTROL_NAMES[code] ?? '';
    return { error: { position: positionAt(text, control.index), message: `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}${name ? ` (${name})` : ''}; a text file holds no control characters but tab and newline` } };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}

const CONTROL_NAMES: Record<number, string> = { 0: 'NUL', 8: 'backspace', 11: 'vertical tab', 12: 'form feed', 13: 'carriage return', 27: 'escape', 127: 'DEL' };

function positionAt(text: string, index: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629). */
function invalidUtf8At(b: Uint8Array): number | undefined {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined) return i;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
    }
    i += n + 1;
  }
  return undefined;
}
