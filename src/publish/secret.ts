/**
 * The course secret: graded variants (per-student handouts, roster keys, LMS quiz banks) are
 * drawn from seeds keyed with it, so only the instructor who holds it can make them, and no page
 * of the site can (the site never reads it; its pages draw practice variants only).
 *
 * Where it is: `WORKBOOK_SECRET`, else the file `.workbook-secret` in the course folder, which
 * `workbook secret init` writes (32 random bytes as hex) and lists in the folder's .gitignore.
 * Node only (node:crypto, node:fs): never imported by a page or the engine.
 *
 * A graded seed is the first 4 bytes (big-endian) of HMAC-SHA-256(secret, message), 0 taken as 1,
 * where message is the UTF-8 of its parts joined with U+001F:
 *   a student's:           ["graded", set, student id (trimmed, NFC, lower-cased), problem]
 *   an LMS bank's variant: ["lms", set, i, problem]  (i = 1..N)
 * and the seed draws in the graded space (hash.ts, `VariantDomain`), which no practice seed reaches.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeStudentId } from '../workbook/variants/hash.ts';

export const SECRET_FILE = '.workbook-secret';
export const SECRET_ENV = 'WORKBOOK_SECRET';
/** Shorter secrets are refused: a guessable secret would let anyone draw the graded variants. */
export const MIN_SECRET_LENGTH = 16;

export const NO_SECRET = `no course secret: run 'workbook secret init' (writes ${SECRET_FILE}, git-ignored) or set ${SECRET_ENV}`;

export class SecretError extends Error {}

/** The course's secret: `WORKBOOK_SECRET`, else `<root>/.workbook-secret`; none is a SecretError saying how to make one. */
export function courseSecret(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[SECRET_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return checked(fromEnv.trim(), SECRET_ENV);
  const path = join(root, SECRET_FILE);
  if (!existsSync(path)) throw new SecretError(NO_SECRET);
  return checked(readFileSync(path, 'utf8').trim(), path);
}

function checked(secret: string, from: string): string {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new SecretError(`the course secret in ${from} is ${secret.length} characters; at least ${MIN_SECRET_LENGTH} (run 'workbook secret init' for a random one)`);
  }
  return secret;
}

/** `workbook secret init`: writes a random secret to `<root>/.workbook-secret` (never over one) and git-ignores it. */
export function initSecret(root: string): { path: string; created: boolean; addedToGitignore: boolean } {
  const path = join(root, SECRET_FILE);
  const created = !existsSync(path);
  if (created) writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  const ignore = join(root, '.gitignore');
  const lines = existsSync(ignore) ? readFileSync(ignore, 'utf8').split(/\r?\n/) : [];
  const added = !lines.some((l) => [SECRET_FILE, `/${SECRET_FILE}`].includes(l.trim()));
  if (added) {
    const before = existsSync(ignore) ? readFileSync(ignore, 'utf8') : '';
    appendFileSync(ignore, `${before === '' || before.endsWith('\n') ? '' : '\n'}${SECRET_FILE}\n`);
  }
  return { path, created, addedToGitignore: added };
}

function hmacSeed(secret: string, parts: readonly string[]): number {
  const mac = createHmac('sha256', secret).update(parts.join('\u001f'), 'utf8').digest();
  return mac.readUInt32BE(0) || 1;
}

/** A student's graded seed for one problem of a set (see the file's comment). */
export function gradedSeed(secret: string, set: string, studentId: string, problem: string): number {
  const id = normalizeStudentId(studentId);
  if (id === '') throw new Error('a student id cannot be empty');
  return hmacSeed(secret, ['graded', set, id, problem]);
}

/** Variant i (1..N) of a problem in an LMS quiz bank (see the file's comment). */
export function lmsSeed(secret: string, set: string, i: number, problem: string): number {
  return hmacSeed(secret, ['lms', set, String(i), problem]);
}
