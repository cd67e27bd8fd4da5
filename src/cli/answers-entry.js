#!/usr/bin/env node
// Temporary entry for `workbook answers` until it is wired into the workbook CLI (src/cli/main.ts):
//   node src/cli/answers-entry.js hw1/q1 --seeds 1-10 [--json | --csv]
import { register } from 'tsx/esm/api';

register();
const { runAnswers } = await import('./answers.ts');
process.exitCode = await runAnswers(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
