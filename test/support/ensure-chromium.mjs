#!/usr/bin/env node
// Browser tests drive Debian's Chromium (never a downloaded browser) and read printed pages with
// poppler's pdftotext. Install what is missing, so the README's test command works on a fresh
// machine. Needs root or sudo for apt-get; waits for another apt-get to finish rather than fail.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian packages the tests need, by the file each provides. */
const NEEDED = [
  { file: CHROMIUM_PATH, pkg: 'chromium' },
  { file: '/usr/bin/pdftotext', pkg: 'poppler-utils' },
];

function run(command, args) {
  execFileSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const missing = NEEDED.filter((n) => !existsSync(n.file));
if (missing.length > 0) {
  const pkgs = missing.map((n) => n.pkg);
  console.log(`Missing ${missing.map((n) => n.file).join(', ')}; installing Debian's ${pkgs.join(', ')}...`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (args) => {
    const full = ['-o', 'DPkg::Lock::Timeout=600', ...args];
    return sudo.length ? run('sudo', ['apt-get', ...full]) : run('apt-get', full);
  };
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', ...pkgs]);
  const still = missing.filter((n) => !existsSync(n.file));
  if (still.length > 0) {
    console.error(`apt-get finished but ${still.map((n) => n.file).join(', ')} is still missing`);
    process.exit(1);
  }
}
