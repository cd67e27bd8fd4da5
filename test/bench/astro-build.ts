// `node astro-build.ts <root> <outDir> <cacheDir>`: Astro's build, run programmatically with a
// cache folder of its own. By default Astro keeps its content cache in node_modules/.astro, which
// checkouts sharing node_modules share; a fresh cache per bench build is a full build, and touches
// no other checkout's cache. Spawned (and measured) by build.ts.
import { build } from 'astro';

const [root, outDir, cacheDir] = process.argv.slice(2);
if (!root || !outDir || !cacheDir) throw new Error('usage: node astro-build.ts <root> <outDir> <cacheDir>');
await build({ root, outDir, cacheDir, logLevel: process.env.BENCH_VERBOSE ? 'info' : 'warn' });
process.exit(0);
