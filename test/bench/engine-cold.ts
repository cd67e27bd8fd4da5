// One cold process: import the engine, define and analyze every zoo model, print the timings
// as JSON. Spawned by the bench (engine.ts), which measures the process from spawn to exit.
const t0 = performance.now();
const { ZOO, analyze, defineModel } = await import('../../src/engine/index.ts');
const t1 = performance.now();
for (const entry of ZOO) analyze(defineModel(entry.def));
const t2 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, analyzeAllMs: t2 - t1, models: ZOO.length }));
export {};
