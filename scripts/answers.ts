// Temporary entry for `workbook answers` until it is wired into the workbook CLI (src/cli/main.ts):
//   npx tsx scripts/answers.ts hw1/q1 --seeds 1-10 [--json | --csv]
import { runAnswers } from '../src/cli/answers.ts';

process.exitCode = await runAnswers(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
