#!/usr/bin/env node
// The `workbook` command. Node 22.18 and later run the TypeScript CLI as it is (type stripping: the
// sources use erasable syntax only); older Node (20, 22.12) loads it through tsx, whose start costs
// about 0.7 s more (a grader's `workbook answers --roster` is mostly start-up). Node strips no
// types under node_modules, so the generator installed in a course (npm pack) loads through tsx too.
import module from 'node:module';

// Node's on-disk code cache (in the system's temp folder): every command after the first loads
// Astro, Vite and the engine ~0.3 s sooner.
module.enableCompileCache?.();
if (!process.features.typescript || import.meta.url.includes('/node_modules/')) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { run } = await import('./main.ts');
process.exitCode = await run(process.argv.slice(2), {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
});
