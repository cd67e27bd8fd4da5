/**
 * `workbook analyze ... --hardware` and the ad hoc microcontroller flags: the cost figures in the
 * table and in `--json` as "cost", only the fields the profile supports, and clear errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'src/cli/workbook.js');

function workbook(args: string[]) {
  const r = spawnSync(join(root, 'node_modules/.bin/node'), [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const json = (args: string[]) => JSON.parse(workbook([...args, '--json']).stdout) as { cost?: Record<string, unknown> };

describe('cost figures on the command line', () => {
  it('HW1 Q2 on an ad hoc 80 MHz core at 4 cycles per MAC: 933,888 × 4 / 80e3 ms', () => {
    const out = json(['analyze', 'mlp-hw1-q2', '--clock-mhz', '80', '--cycles-per-mac', '4']);
    expect(out.cost).toEqual({ hardware: 'ad-hoc', latencyMs: (933_888 * 4) / 80e3 });
  });

  it('the same through the hw1-mcu profile, with the latency column in the table', () => {
    expect(json(['analyze', 'mlp-hw1-q2', '--hardware', 'hw1-mcu']).cost).toEqual({ hardware: 'hw1-mcu', latencyMs: 46.6944 });
    const text = workbook(['analyze', 'mlp-hw1-q2', '--hardware', 'hw1-mcu']).stdout;
    expect(text).toMatch(/latency ms/);
    expect(text).toMatch(/fc1\s+Linear\s+1 x 512\s+655,872\s+655,360\s+512\s+32\.768/); // 655,360 × 4 / 80e3
    expect(text).toMatch(/latency\s+46\.6944 ms/);
    expect(text).toMatch(/not computed\s+energy/);
  });

  it('a roofline profile gives compute, memory, bound and fit, and no invented energy', () => {
    const cost = json(['analyze', 'mlp-hw1-q2', '--hardware', 'raspberry-pi-4']).cost!;
    expect(Object.keys(cost).sort()).toEqual(['bound', 'computeMs', 'fits', 'hardware', 'latencyMs', 'memoryMs']);
    expect(cost.bound).toBe('memory');
    expect(cost.memoryMs as number).toBeGreaterThan(cost.computeMs as number);
  });

  it('an energy profile gives energy with the placement of the weights as an option', () => {
    const dram = json(['analyze', 'mlp-hw1-q2', '--hardware', 'horowitz-45nm']).cost!;
    const sram = json(['analyze', 'mlp-hw1-q2', '--hardware', 'horowitz-45nm', '--weights-in', 'sram']).cost!;
    expect(dram.energyMicrojoules as number).toBeGreaterThan(sram.energyMicrojoules as number);
    // Weights from DRAM: 640 pJ per 32-bit read instead of 5 pJ from SRAM, for each of 934,944 weights.
    expect((dram.energyMicrojoules as number) - (sram.energyMicrojoules as number)).toBeCloseTo((934_944 * (640 - 5)) / 1e6, 6);
  });

  it('a user profile from a JSON file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'workbook-hw-'));
    const file = join(dir, 'my-mcu.json');
    writeFileSync(file, JSON.stringify({ id: 'my-mcu', name: 'My MCU', kind: 'microcontroller', clockMHz: { value: 100, source: 'my board' }, cyclesPerMac: { fp32: { value: 2, source: 'my board' } } }));
    const cost = json(['analyze', 'mlp-hw1-q2', '--hardware', file]).cost!;
    expect(cost).toEqual({ hardware: 'my-mcu', latencyMs: (933_888 * 2) / 100e3 });
    writeFileSync(file, JSON.stringify({ id: 'my-mcu', name: 'My MCU', kind: 'mcu', clockMHz: { value: 0, source: 'x' } }));
    const bad = workbook(['analyze', 'mlp-hw1-q2', '--hardware', file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${file}: hardware profile 'my-mcu'`);
    expect(bad.stderr).toMatch(/kind/);
    expect(bad.stderr).toMatch(/clockMHz/);
  });

  it.each([
    [['--hardware', 'nope'], 1, "unknown hardware 'nope'; built in: hw1-mcu"],
    [['--clock-mhz', '80'], 2, '--clock-mhz and --cycles-per-mac go together'],
    [['--clock-mhz=-5', '--cycles-per-mac', '4'], 2, "--clock-mhz must be a positive number, got '-5'"],
    [['--hardware', 'hw1-mcu', '--clock-mhz', '80', '--cycles-per-mac', '4'], 2, 'give either --hardware or --clock-mhz'],
    [['--hardware', 'horowitz-45nm', '--weights-in', 'disk'], 2, '--weights-in must be one of dram, sram'],
  ])('%j exits %i: %s', (flags, code, message) => {
    const r = workbook(['analyze', 'mlp-hw1-q2', ...flags]);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
  });
});

describe('workbook answers, through the main command', () => {
  it('prints each variant with its parameters and answers (seed 0 is the homework)', () => {
    const r = workbook(['answers', 'hw1/q1', '--seeds', '0-2', '--csv']);
    expect(r.code).toBe(0);
    const [header, homework, ...rest] = r.stdout.trim().split('\n');
    // Each head names its question: `a: weights` (the CSV of keyed rows, from main's 2b24eb9).
    expect(header).toMatch(/^seed,n0,h1,h2,n3,a: weights,a: biases,a: params/);
    // Seed 0: 120-256-256-10, params 120*256 + 256 + 256*256 + 256 + 256*10 + 10.
    expect(homework).toMatch(new RegExp(`^0,120,256,256,10,${120 * 256 + 256 * 256 + 256 * 10},522,${99_338},`));
    expect(rest).toHaveLength(2);
  });

  it('an unknown problem exits 1 and lists the problems', () => {
    const r = workbook(['answers', 'hw1/q9', '--seeds', '1-3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no problem 'hw1/q9'; problems: hw1/q1");
  });
});
