/**
 * `npm run bench`: engine speed, build scaling against the floor, page weight, each figure beside
 * its budget, and `N passed, M failed`. The figures are also written as JSON (results/).
 *
 *   npm run bench                          everything, N = 100 variants per randomized problem
 *   npm run bench -- --scale               the same at class scale: N = 1000 (about 9,000 pages), N0 = 100
 *   npm run bench -- --only engine,weight  some sections (weight builds the workbook once)
 *   npm run bench -- --only course        an instructor's course: 25 problems × 10 variants against the floor, and the dev loop
 *   npm run bench -- --only derivation     derivation time for 1,000 / 10,000 / 100,000-layer models
 *   npm run bench -- --only fuzz           the seeded fuzz suites: cases and time per family (npm run fuzz)
 *   npm run bench -- --n 50 --n0 10 --out figures.json --verbose
 *
 * Sequential by design: one measurement at a time on the machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BUDGETS, checkRow, evaluate, formatBytes, formatTable, formatValue, summaryLine, type Check, type Row, type Section } from './budgets.ts';
import { writeBenchCourse, devResolveLatency } from './course.ts';
import { bestOf, buildCourse, buildFloor, buildInstalled, buildWorkbook, installBenchCourse, htmlPages, marginalCpuMs, marginalMs, variantsPresent, VARIANTS_ENV, workbookFormulas, writeFloor, FLOOR_DIR, type BuildRun } from './build.ts';
import { coldAnalyze, rateInChild, ROOT, warmAnalyze, zooIdFor } from './engine.ts';
import { llmBench } from './llm.ts';
import { derivationScaling, type DerivationTiming } from './derivation.ts';
import type { Size } from './pages.ts';
import { siteWeight, type SiteWeight } from './weight.ts';
import { rosterKeys } from './roster.ts';
import { fuzzGrid, runFuzz } from './fuzz.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string' },
    n0: { type: 'string' },
    // Class scale (issue 18): N = 1000, N0 = 100, unless --n / --n0 say otherwise. Minutes of CPU.
    scale: { type: 'boolean', default: false },
    only: { type: 'string', default: 'engine,derivation,fuzz,build,course,weight' },
    out: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '3' },
  },
});
/** The instructor's course of the author's-loop figures (issue 25): problems and variants each. */
const COURSE_PROBLEMS = 25;
const COURSE_VARIANTS = 10;
/** Variants per problem at class scale (issue 18): about 9,000 pages, where the whole build's time is budgeted. */
const CLASS_SCALE = 1000;
const N = Number(args.n ?? (args.scale ? String(CLASS_SCALE) : '100'));
const N0 = Number(args.n0 ?? (args.scale ? '100' : '10'));
if (!Number.isInteger(N) || !Number.isInteger(N0) || N0 >= N || N0 < 0) throw new Error(`--n0 (${N0}) must be a whole number below --n (${N})`);
const REPEAT = Number(args.repeat);
if (!Number.isInteger(REPEAT) || REPEAT < 1) throw new Error(`--repeat must be a whole number from 1, got ${args.repeat}`);
const only = new Set(args.only.split(',').map((s) => s.trim()));
const verbose = args.verbose;
const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);

const loadAtStart = loadavg()[0]!;
const sections: Section[] = [];
const checks: Check[] = [];
const json: Record<string, unknown> = {};
const check = (c: Check): Check => (checks.push(c), c);

// ---- Engine ------------------------------------------------------------------------------------
if (only.has('engine')) {
  log('engine: warm analysis of each zoo model');
  const warm = warmAnalyze();
  log('engine: cold processes');
  const cold = await coldAnalyze();
  log('engine: HW1 per second');
  const rate = await rateInChild('hw1', 3);
  const rateAll = rate.mode === 'sampled' ? await rateInChild('*', 3) : undefined;
  log('engine: answer keys for a roster of 500');
  const roster = await rosterKeys(500);
  const ids = warm.map((w) => w.id);
  const warmOf = (name: 'resnet50' | 'bert-base') => {
    const id = zooIdFor(name, ids);
    // The whole report, every figure read: laziness must not hide a cost a model page pays.
    return { id, ms: warm.find((w) => w.id === id)?.everyFigureMs };
  };
  const resnet = warmOf('resnet50');
  const bert = warmOf('bert-base');
  const rows: Row[] = warm.map((w) => ({
    label: `analyze ${w.id} (${w.layers} layers), warm`,
    figure: `${formatValue(w.medianMs, 'ms')} (CPU ${formatValue(w.cpuMs, 'ms')}) · ${formatValue(w.withTotalsMs, 'ms')} · ${formatValue(w.everyFigureMs, 'ms')}`,
  }));
  rows.push(
    checkRow(check(evaluate(BUDGETS.analyzeResnet50, resnet.ms, resnet.id ?? 'no ResNet-50 in the zoo yet'))),
    checkRow(check(evaluate(BUDGETS.analyzeBert, bert.ms, bert.id ?? 'no BERT-base in the zoo yet'))),
    { label: `cold: a process analyzes all ${warm.length} (median of ${cold.runs})`, figure: formatValue(cold.wallMs, 'ms') },
    { label: '  of which: importing the engine', figure: formatValue(cold.importMs, 'ms') },
    { label: '  of which: defining and analyzing them', figure: formatValue(cold.analyzeAllMs, 'ms') },
  );
  const rateLabel =
    rate.mode === 'sampled'
      ? `HW1 variants sampled and solved (${rate.problems.length} problems; best 0.6 s window)`
      : `HW1 problems solved (${rate.problems.length}, no sampler yet; best 0.6 s window)`;
  rows.push(
    checkRow(check(evaluate(BUDGETS.hw1Rate, rate.perSecond, rate.mode === 'sampled' ? undefined : 'sampling not on main yet: homework as written')), rateLabel),
    { label: '  median window · per second of CPU time', figure: `${formatValue(rate.medianPerSecond, 'per-second')} · ${formatValue(rate.perCpuSecond, 'per-second')}` },
    ...(rateAll
      ? [{ label: `every randomized problem (${rateAll.problems.length}), time (CPU)`, figure: `${formatValue(rateAll.perSecond, 'per-second')} (${formatValue(rateAll.perCpuSecond, 'per-second')})` }]
      : []),
    checkRow(check(evaluate(BUDGETS.rosterKeys, roster.wallMs / 1000, `workbook answers --all --roster, ${roster.lines} lines of CSV`))),
    { label: '  the same in CPU time', figure: formatValue(roster.cpuMs !== undefined ? roster.cpuMs / 1000 : undefined, 's') },
  );
  log('engine: a 70B language model and a decode sweep');
  const llm = llmBench();
  rows.push(
    { label: `analyze llama-3-70b (${llm.layers} layers, ${llm.params.toLocaleString('en-US')} params, 1,024 tokens), warm`, figure: `${formatValue(llm.analyzeMs, 'ms')} (CPU ${formatValue(llm.analyzeCpuMs, 'ms')})` },
    checkRow(check(evaluate(BUDGETS.llm70b, llm.llmMs, `CPU ${formatValue(llm.llmCpuMs, 'ms')} per call`))),
    checkRow(check(evaluate(BUDGETS.llmSweep, llm.sweepMs, `${llm.sweepPoints.toLocaleString('en-US')} points`))),
  );
  json.llm = llm;
  const notes = [
    'analyze: the call alone (CPU time per call) · then every total read · then every figure of every layer read',
    '(a layer\'s figures are built when first read; analyze builds the ones the totals sum)',
  ];
  sections.push({ title: 'Engine', notes, rows });
  json.engine = { warm, cold, hw1: rate, allRandomized: rateAll, roster };
}

// ---- Derivations -------------------------------------------------------------------------------
if (only.has('derivation')) {
  log('derivation: 1,000 / 10,000 / 100,000-layer models, 1,000 parallel branches');
  const { chains, parallel } = derivationScaling();
  const row = (d: DerivationTiming): Row => ({
    label: `${d.model} (${d.layers.toLocaleString('en-US')} layers): derivations, time (CPU) · per 1,000 layers · analysis`,
    figure: `${formatValue(d.derivationMs, 'ms')} (${formatValue(d.derivationCpuMs, 'ms')}) · ${formatValue((d.derivationCpuMs / d.layers) * 1000, 'ms')} · ${formatValue(d.analyzeMs, 'ms')}`,
  });
  const first = chains[0]!;
  const last = chains[chains.length - 1]!;
  const ratio = last.derivationCpuMs / last.layers / (first.derivationCpuMs / first.layers);
  sections.push({
    title: 'Derivations (every total and the training memory, derivationLines, as a model page writes them)',
    notes: ['chain-N: Linear and ReLU in turn, widths cycling through seven sizes; the TeX stays short (repeats fold, long sums elide)'],
    rows: [...chains.map(row), row(parallel), checkRow(check(evaluate(BUDGETS.derivationLinear, ratio, 'about linear: the cost per layer stays flat')))],
  });
  json.derivation = { chains, parallel, perLayerRatio: ratio };
}

// ---- Fuzz suites --------------------------------------------------------------------------------
if (only.has('fuzz')) {
  log('fuzz: the seeded fuzz suites (WORKBOOK_FUZZ_SEED, WORKBOOK_FUZZ_RUNS)');
  const fuzz = runFuzz();
  const cases = fuzz.rows.reduce((n, r) => n + r.cases, 0);
  const failing = { id: 'fuzz.failing', label: 'Fuzz suites failing (a crash, a hang, an unlocated error, a silent mutant)', op: '<=', limit: 0, unit: 'count' } as const;
  sections.push({
    title: 'Fuzz suites (seeded: every case a clear error or a valid analysis)',
    grid: fuzzGrid(fuzz.rows),
    rows: [
      { label: 'fuzz cases, wall time (vitest included)', figure: `${cases.toLocaleString('en-US')} · ${formatValue(fuzz.wallMs, 'ms')}` },
      checkRow(check(evaluate(failing, fuzz.passed ? 0 : 1, fuzz.passed ? undefined : 'npm run fuzz shows the failing cases'))),
    ],
  });
  json.fuzz = { rows: fuzz.rows, wallMs: fuzz.wallMs, passed: fuzz.passed };
}

// ---- Build -------------------------------------------------------------------------------------
let weightDir: string | undefined;
const toRemove: string[] = [];
if (only.has('build')) {
  const withVariants = variantsPresent();
  // Rounds of (workbook at N0, workbook at N, floor at both page counts), REPEAT times; each build's
  // figure is its fastest round. The floor renders the formulas of the first workbook build.
  const runs: Record<'low' | 'high' | 'floorLow' | 'floorHigh', BuildRun[]> = { low: [], high: [], floorLow: [], floorHigh: [] };
  for (let round = 1; round <= REPEAT; round++) {
    const tag = REPEAT > 1 ? ` (round ${round} of ${REPEAT})` : '';
    if (withVariants) {
      log(`build: workbook, ${VARIANTS_ENV}=${N0}${tag}`);
      runs.low.push(await buildWorkbook(N0, { verbose }));
    }
    log(`build: workbook, ${VARIANTS_ENV}=${N}${tag}`);
    runs.high.push(await buildWorkbook(N, { verbose }));
    if (round === 1) writeFloor(workbookFormulas(runs.high[0]!.outDir));
    if (withVariants) {
      log(`build: floor, ${runs.low[0]!.pages} pages${tag}`);
      runs.floorLow.push(await buildFloor(runs.low[0]!.pages, { verbose }));
    }
    log(`build: floor, ${runs.high[0]!.pages} pages${tag}`);
    runs.floorHigh.push(await buildFloor(runs.high[0]!.pages, { verbose }));
  }
  const formulas = workbookFormulas(runs.high[0]!.outDir);
  const low = runs.low.length ? bestOf(runs.low) : undefined;
  const high = bestOf(runs.high);
  const floorLow = runs.floorLow.length ? bestOf(runs.floorLow) : undefined;
  const floorHigh = bestOf(runs.floorHigh);
  weightDir = high.outDir;
  for (const r of Object.values(runs).flat()) if (r.outDir !== weightDir) rmSync(r.outDir, { recursive: true, force: true });
  toRemove.push(weightDir);

  const perVariant = low ? marginalMs(low, high) : undefined;
  const perFloorPage = floorLow ? marginalMs(floorLow, floorHigh) : undefined;
  const noVariants = withVariants ? undefined : 'no variant pages on main yet';
  const perFormulas = formulas.map((l) => l.length);
  const runRow = (label: string, r: BuildRun): Row => ({
    label: `${label}: ${r.pages} pages, time (CPU) · peak memory`,
    figure: `${formatValue(r.wallMs / 1000, 's')} (${r.cpuMs !== undefined ? formatValue(r.cpuMs / 1000, 's') : '—'}) · ${formatBytes(r.peakRss)}`,
  });
  const perVariantCpu = low ? marginalCpuMs(low, high) : undefined;
  const perFloorPageCpu = floorLow ? marginalCpuMs(floorLow, floorHigh) : undefined;
  const cpuRatio = high.cpuMs !== undefined && floorHigh.cpuMs !== undefined ? high.cpuMs / floorHigh.cpuMs : undefined;
  const rows: Row[] = [];
  if (low) rows.push(runRow(`workbook, N = ${N0}`, low));
  rows.push(runRow(`workbook, N = ${withVariants ? N : `${N} (no variants yet)`}`, high));
  if (floorLow) rows.push(runRow('floor', floorLow));
  rows.push(
    runRow('floor', floorHigh),
    { label: `  floor pages: ${Math.min(...perFormulas)}–${Math.max(...perFormulas)} formulas each`, figure: 'as problem pages' },
    // The whole build's ratio is a class-scale budget: below N = CLASS_SCALE the workbook's fixed
    // work (model pages and their charts, chapters, sets, the analyzer: ~7 s on 2 cores) is spread
    // over too few pages to say anything about variants; the extra page's cost below does.
    N >= CLASS_SCALE
      ? checkRow(check(evaluate(BUDGETS.buildRatio, high.wallMs / floorHigh.wallMs, `${high.pages} pages each`)))
      : { label: `Build time, workbook / floor (budget ≤ ${BUDGETS.buildRatio.limit}x at N ≥ ${CLASS_SCALE}: --scale)`, figure: formatValue(high.wallMs / floorHigh.wallMs, 'ratio') },
    { label: '  the same in CPU time', figure: formatValue(cpuRatio, 'ratio') },
    checkRow(check(evaluate(BUDGETS.buildMemory, high.peakRss, `workbook, N = ${N}`))),
    checkRow(check(evaluate(BUDGETS.buildMemoryGrowth, low ? high.peakRss / low.peakRss : undefined, noVariants ?? `N = ${N0} → ${N}`))),
    { label: '  the floor\'s, for scale', figure: floorLow ? formatValue(floorHigh.peakRss / floorLow.peakRss, 'ratio') : '—' },
    { label: 'cost per extra variant page (workbook), time (CPU)', figure: `${formatValue(perVariant, 'ms')} (${formatValue(perVariantCpu, 'ms')})` },
    { label: 'cost per extra page (floor), time (CPU)', figure: `${formatValue(perFloorPage, 'ms')} (${formatValue(perFloorPageCpu, 'ms')})` },
    checkRow(
      check(
        evaluate(
          BUDGETS.perPageRatio,
          perVariant !== undefined && perFloorPage !== undefined ? perVariant / perFloorPage : undefined,
          noVariants ?? `N = ${N0} → ${N}`,
        ),
      ),
    ),
    {
      label: '  the same in CPU time',
      figure: formatValue(perVariantCpu !== undefined && perFloorPageCpu !== undefined ? perVariantCpu / perFloorPageCpu : undefined, 'ratio'),
    },
  );
  sections.push({
    title: `Build (solutions edition, ${VARIANTS_ENV}=${N}; fastest of ${REPEAT} rounds; peak RSS of the build's process tree, largest of all rounds)`,
    rows,
  });
  const strip = (r: ReturnType<typeof bestOf> | undefined) =>
    r && { pages: r.pages, wallMs: r.wallMs, wallMsAll: r.wallMsAll, cpuMs: r.cpuMs, peakRss: r.peakRss, peakTreeRss: r.peakTreeRss, peakProcessRss: r.peakProcessRss };
  json.build = {
    variantsPresent: withVariants,
    n: N,
    n0: N0,
    workbook: { high: strip(high), low: strip(low) },
    floor: { high: strip(floorHigh), low: strip(floorLow), formulasPerPage: perFormulas },
    ratio: high.wallMs / floorHigh.wallMs,
    cpuRatio,
    perVariantPageMs: perVariant,
    perFloorPageMs: perFloorPage,
    perVariantPageCpuMs: perVariantCpu,
    perFloorPageCpuMs: perFloorPageCpu,
  };
}

// ---- An instructor's course (issue 25) ------------------------------------------------------------
if (only.has('course')) {
  // A course in a folder of its own: 25 randomized problems on 5 small models, 10 variants each.
  const dir = mkdtempSync(join(tmpdir(), 'bench-course-'));
  toRemove.push(dir);
  writeBenchCourse(dir, COURSE_PROBLEMS);
  // The same course installed as an instructor has it (npm pack, workbook init, npm install).
  const work = mkdtempSync(join(tmpdir(), 'bench-installed-'));
  toRemove.push(work);
  log('course: npm pack, workbook init, npm install in a folder of its own');
  const installedDir = installBenchCourse(work, (d) => writeBenchCourse(d, COURSE_PROBLEMS));
  const runs: Record<'course' | 'floor' | 'installed', BuildRun[]> = { course: [], floor: [], installed: [] };
  for (let round = 1; round <= REPEAT; round++) {
    const tag = REPEAT > 1 ? ` (round ${round} of ${REPEAT})` : '';
    log(`course: ${COURSE_PROBLEMS} problems, ${VARIANTS_ENV}=${COURSE_VARIANTS}${tag}`);
    runs.course.push(await buildCourse(dir, COURSE_VARIANTS, { verbose }));
    if (round === 1) writeFloor(workbookFormulas(runs.course[0]!.outDir));
    log(`course: floor, ${runs.course[0]!.pages} pages${tag}`);
    runs.floor.push(await buildFloor(runs.course[0]!.pages, { verbose }));
    log(`course: installed, npm run build${tag}`);
    runs.installed.push(await buildInstalled(installedDir, COURSE_VARIANTS, { verbose }));
  }
  const course = bestOf(runs.course);
  const floor = bestOf(runs.floor);
  const installed = bestOf(runs.installed);
  const byType = htmlPages(course.outDir).reduce<Record<string, number>>((a, p) => {
    const type = p.split('/')[0]!.replace(/\.html$/, '') || 'index';
    a[type] = (a[type] ?? 0) + 1;
    return a;
  }, {});
  for (const r of [...runs.course, ...runs.floor]) rmSync(r.outDir, { recursive: true, force: true });
  log('course: workbook dev, a problem saved 5 times');
  const dev = await devResolveLatency(dir, 5);
  const ratio = course.wallMs / floor.wallMs;
  const cpuRatio = course.cpuMs !== undefined && floor.cpuMs !== undefined ? course.cpuMs / floor.cpuMs : undefined;
  const runRow = (label: string, r: BuildRun): Row => ({
    label: `${label}: ${r.pages} pages, time (CPU)`,
    figure: `${formatValue(r.wallMs / 1000, 's')} (${r.cpuMs !== undefined ? formatValue(r.cpuMs / 1000, 's') : '—'})`,
  });
  sections.push({
    title: `An instructor's course (${COURSE_PROBLEMS} problems, ${VARIANTS_ENV}=${COURSE_VARIANTS}, a folder of its own; fastest of ${REPEAT} rounds)`,
    rows: [
      runRow('course', course),
      { label: '  pages by type', figure: Object.entries(byType).map(([t, n]) => `${t} ${n}`).join(', ') },
      runRow('floor', floor),
      checkRow(check(evaluate(BUDGETS.courseBuildRatio, ratio, `${course.pages} pages each`))),
      { label: '  the same in CPU time', figure: formatValue(cpuRatio, 'ratio') },
      runRow('installed (npm pack; npm run build in the course)', installed),
      { label: '  its time / the floor\'s (CPU)', figure: `${formatValue(installed.wallMs / floor.wallMs, 'ratio')} (${installed.cpuMs !== undefined && floor.cpuMs !== undefined ? formatValue(installed.cpuMs / floor.cpuMs, 'ratio') : '—'})` },
      { label: 'workbook dev: first render of a problem page after start', figure: formatValue(dev.firstPageMs, 'ms') },
      checkRow(check(evaluate(BUDGETS.devResolveMs, dev.medianMs, `edits: ${dev.editsMs.map((m) => Math.round(m)).join(', ')} ms`))),
      { label: "  the dev server's CPU time per edit (median)", figure: `${formatValue(dev.medianCpuMs, 'ms')} (${dev.editsCpuMs.join(', ')} ms)` },
    ],
  });
  const strip = (r: BuildRun) => ({ pages: r.pages, wallMs: r.wallMs, cpuMs: r.cpuMs, peakRss: r.peakRss });
  json.course = { problems: COURSE_PROBLEMS, variants: COURSE_VARIANTS, course: strip(course), floor: strip(floor), installed: strip(installed), pagesByType: byType, ratio, cpuRatio, dev };
}

// ---- Weight ------------------------------------------------------------------------------------
if (only.has('weight')) {
  if (!weightDir) {
    log(`weight: building the workbook, ${VARIANTS_ENV}=${N}`);
    const built = await buildWorkbook(N, { verbose });
    weightDir = built.outDir;
    toRemove.push(built.outDir);
  }
  log('weight: reading pages, loading samples in Chromium for fonts');
  const site: SiteWeight = await siteWeight(weightDir);
  const sz = (s: Size | undefined) => (s ? `${formatBytes(s.raw)} / ${formatBytes(s.gzip)}` : '—');
  const url = (path: string | undefined) => `/${(path ?? '').replace(/\/?index\.html$/, '/')}`.replace(/\/+$/, '/');
  const grid: string[][] = [['page type (largest HTML)', 'pages', 'HTML raw/gz', 'CSS raw/gz', 'JS raw/gz', 'lazy JS gz', 'fonts loaded']];
  for (const t of site.types) {
    grid.push(
      t.max
        ? [`${t.type} (${url(t.largestHtml)})`, String(t.pages), sz(t.max.html), sz(t.max.css), sz(t.max.js), formatBytes(t.max.jsLazy.gzip), t.max.fonts ? formatBytes(t.max.fonts.raw) : 'not measured']
        : [`${t.type}`, 'not present', '', '', '', '', ''],
    );
  }
  const notes = site.types
    .filter((t) => t.scripts.length || t.lazyScripts.length)
    .map((t) => `JS of ${t.type} pages: ${[...t.scripts, ...t.lazyScripts.map((s) => `${s} (on demand)`)].join(', ')}`);
  const rows: Row[] = [];
  const of = (type: string) => site.types.find((t) => t.type === type)!;
  const jsCheck = (budget: (typeof BUDGETS)[keyof typeof BUDGETS], type: string) => {
    const t = of(type);
    return checkRow(check(evaluate(budget, t.max?.js.raw, t.max ? `${t.pages} page${t.pages === 1 ? '' : 's'}` : `no ${type} pages yet`)));
  };
  const practice = of('practice');
  const problem = of('problem');
  const byFormat = Object.entries(
    site.fonts.files.reduce<Record<string, number>>((a, f) => ((a[f.format] = (a[f.format] ?? 0) + 1), a), {}),
  )
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  rows.push(
    jsCheck(BUDGETS.noJsProblem, 'problem'),
    jsCheck(BUDGETS.noJsChapter, 'chapter'),
    jsCheck(BUDGETS.noJsModel, 'model'),
    jsCheck(BUDGETS.noJsIndex, 'index'),
    checkRow(check(evaluate(BUDGETS.practiceScript, practice.max?.js.gzip, practice.max ? undefined : 'no practice pages yet'))),
    checkRow(check(evaluate(BUDGETS.practiceKatexEager, practice.max ? practice.katexEagerBytes : undefined, practice.max ? undefined : 'no practice pages yet'))),
    ...(practice.katexOnLoad !== undefined
      ? [{ label: '  KaTeX fetched while a practice page loads (Chromium)', figure: practice.katexOnLoad ? 'yes' : 'no' }]
      : []),
    checkRow(check(evaluate(BUDGETS.problemHtml, problem.max?.html.gzip, problem.max ? url(problem.largestHtml) : 'no problem pages'))),
    { label: 'font files in the output', figure: `${site.fonts.files.length} (${byFormat}), ${formatBytes(site.fonts.bytes)}` },
    checkRow(check(evaluate(BUDGETS.fontFiles, site.fonts.extra.length, site.fonts.extra.length ? `e.g. ${site.fonts.extra.slice(0, 2).join(', ')}` : undefined))),
  );
  sections.push({
    title: `Weight (each column: the largest over the type's pages; gz = gzip -9; fonts: downloaded by Chromium for up to 3 pages of each type${site.fontsMeasured ? '' : ' — not available'})`,
    grid,
    notes,
    rows,
  });
  json.weight = site;
}

// ---- Output ------------------------------------------------------------------------------------
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
})();
const load = { start: loadAtStart, end: loadavg()[0]! };
const meta = { date: new Date().toISOString(), commit, node: process.version, cpus: cpus().length, memory: totalmem(), load, n: N, n0: N0, repeat: REPEAT, sections: [...only] };
const notMeasured = checks.filter((c) => c.status === 'n/a');
const budgets = checks.map((c) => ({ ...c.budget, value: c.value, status: c.status, note: c.note }));
const result = { meta, ...json, budgets, summary: { passed: checks.filter((c) => c.status === 'pass').length, failed: checks.filter((c) => c.status === 'fail').length, notMeasured: notMeasured.length } };

const resultsDir = join(ROOT, 'test/bench/results');
const out = args.out ? resolve(args.out) : join(resultsDir, `bench-${meta.date.replace(/[:.]/g, '-')}.json`);
mkdirSync(resultsDir, { recursive: true });
const text = JSON.stringify(result, null, 2) + '\n';
writeFileSync(out, text);
if (!args.out) writeFileSync(join(resultsDir, 'latest.json'), text);

if (!args.keep) {
  for (const dir of toRemove) rmSync(dir, { recursive: true, force: true });
  rmSync(FLOOR_DIR, { recursive: true, force: true });
}

process.stdout.write(`Benchmarks · ${meta.date} · ${commit ?? 'no commit'} · Node ${meta.node} · ${meta.cpus} cores · ${formatBytes(meta.memory)} RAM\n`);
if (Math.max(load.start, load.end) > 1) {
  process.stdout.write(`warning: the machine was busy (1-minute load ${load.start.toFixed(1)} at start, ${load.end.toFixed(1)} at end, on ${meta.cpus} cores): wall times are inflated; the CPU-time figures beside them are steadier\n`);
}
process.stdout.write(formatTable(sections) + '\n\n');
process.stdout.write(`figures: ${out}\n`);
if (notMeasured.length) process.stdout.write(`not measured: ${notMeasured.map((c) => `${c.budget.label} (${c.note ?? 'n/a'})`).join('; ')}\n`);
process.stdout.write(summaryLine(checks) + '\n');
