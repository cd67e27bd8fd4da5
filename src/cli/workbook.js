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
const argv = process.argv.slice(2);
const io = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
};
// build, dev, preview and pdf start Astro in a process of its own: this one loads only site.ts, not
// main.ts and the engine its other commands need (~0.5 s sooner, through tsx in an installed course).
const site = await import('./site.ts');
process.exitCode = site.isSiteCommand(argv[0]) ? await site.runSite(argv[0], argv.slice(1), io) : await (await import('./main.ts')).run(argv, io);
