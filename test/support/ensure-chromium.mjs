#!/usr/bin/env node
// Browser tests drive Debian's Chromium (never a downloaded browser). Install it when missing,
// so the README's test command works on a fresh machine. Needs root or sudo for apt-get.
// The set documents' PDF tests read PDFs with pdftotext: poppler-utils is installed likewise.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function run(command, args) {
  execFileSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const PDFTOTEXT_PATH = '/usr/bin/pdftotext';
const missing = [...(existsSync(CHROMIUM_PATH) ? [] : ['chromium']), ...(existsSync(PDFTOTEXT_PATH) ? [] : ['poppler-utils'])];
if (missing.length > 0) {
  console.log(`Not found: ${missing.join(', ')}; installing Debian's packages...`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (args) => (sudo.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args));
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', ...missing]);
  for (const path of [CHROMIUM_PATH, PDFTOTEXT_PATH]) {
    if (!existsSync(path)) {
      console.error(`apt-get finished but ${path} is still missing`);
      process.exit(1);
    }
  }
}
