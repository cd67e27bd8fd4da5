/**
 * Runs a command and measures its wall time and the peak memory of its whole process tree
 * (Astro's build runs Pagefind's indexer as a child process). Memory is sampled from /proc every
 * 50 ms (the sum of the tree's resident sets); where GNU time is installed it also wraps the
 * command: its max RSS of the largest single process is kept beside the sample, and the CPU time
 * of the whole tree (user + system), which other load on the machine inflates far less than wall time.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
const PAGE_SIZE = 4096;

export interface Measured {
  readonly wallMs: number;
  /** Peak of the sampled sum of resident memory over the process tree. */
  readonly peakTreeRss: number;
  /** Max RSS of the largest single process (GNU time), when available. */
  readonly peakProcessRss?: number;
  /** max(tree sample, single process): the figure the memory budget reads. */
  readonly peakRss: number;
  /** User + system CPU time of the command and its descendants (GNU time), when available. */
  readonly cpuMs?: number;
  readonly code: number;
  readonly output: string;
}

/** pid → [ppid, rss bytes] of every process, from /proc/<pid>/stat. */
function processTable(): Map<number, [number, number]> {
  const table = new Map<number, [number, number]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces and parentheses).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), [Number(fields[1]), Number(fields[21]) * PAGE_SIZE]);
    } catch {
      // the process ended while we read
    }
  }
  return table;
}

/** Sum of the resident memory of a process and all its descendants. */
export function treeRss(root: number, table = processTable()): number {
  const children = new Map<number, number[]>();
  for (const [pid, [ppid]] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    total += table.get(pid)?.[1] ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Echo the command's output as it runs. */
  readonly verbose?: boolean;
}

export async function measure(command: string, args: readonly string[], options: RunOptions): Promise<Measured> {
  const useTime = existsSync(GNU_TIME);
  const scratch = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const timeFile = join(scratch, 'time.txt');
  const [cmd, argv] = useTime ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, command, ...args]] : [command, [...args]];
  const started = performance.now();
  const child = spawn(cmd, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const take = (d: Buffer) => {
    output += d;
    if (options.verbose) process.stderr.write(d);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  let peakTree = 0;
  const sample = () => {
    if (child.pid !== undefined) peakTree = Math.max(peakTree, treeRss(child.pid));
  };
  const timer = setInterval(sample, 50);
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c ?? 1));
  });
  const wallMs = performance.now() - started;
  clearInterval(timer);
  let peakProcessRss: number | undefined;
  let cpuMs: number | undefined;
  if (useTime && existsSync(timeFile)) {
    const [kb, user, sys] = (readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
    if (Number.isFinite(kb)) peakProcessRss = kb! * 1024;
    if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = (user! + sys!) * 1000;
  }
  rmSync(scratch, { recursive: true, force: true });
  return {
    wallMs,
    peakTreeRss: peakTree,
    ...(peakProcessRss !== undefined ? { peakProcessRss } : {}),
    peakRss: Math.max(peakTree, peakProcessRss ?? 0),
    ...(cpuMs !== undefined ? { cpuMs } : {}),
    code,
    output,
  };
}
