#!/usr/bin/env node
// The `workbook` command. Loads the TypeScript CLI through tsx, so it runs on Node 20 and 22.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('./main.ts');
process.exitCode = await run(process.argv.slice(2), {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
});
