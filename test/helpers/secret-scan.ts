/**
 * Looks for a secret in every file under a folder: the raw bytes, and the bytes inside any gzip
 * (Pagefind's index and fragments are gzip) or Brotli file, as UTF-8, UTF-16 and base64.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

export interface SecretScan {
  readonly scanned: number;
  /** Files under pagefind/ that were read (decompressed where compressed). */
  readonly searchIndexFiles: number;
  readonly hits: string[];
}

export function scanForSecret(dir: string, secret: string): SecretScan {
  const needles = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le'), Buffer.from(Buffer.from(secret).toString('base64').slice(0, 16))];
  const hits: string[] = [];
  let scanned = 0;
  let searchIndexFiles = 0;
  const contains = (bytes: Buffer) => needles.some((n) => bytes.includes(n));
  for (const file of listFiles(dir)) {
    const rel = relative(dir, file);
    const bytes = readFileSync(file);
    scanned++;
    if (contains(bytes)) hits.push(rel);
    let inner: Buffer | undefined;
    try {
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) inner = gunzipSync(bytes);
      else if (rel.endsWith('.br')) inner = brotliDecompressSync(bytes);
    } catch {
      // not compressed after all
    }
    if (inner && contains(inner)) hits.push(`${rel} (decompressed)`);
    if (rel.startsWith('pagefind/')) searchIndexFiles++;
  }
  return { scanned, searchIndexFiles, hits };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
