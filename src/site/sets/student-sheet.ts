/**
 * The script of a set's per-student sheet (/sets/<set>/student/?student=ID): each randomized
 * problem of the set becomes that student's variant, seed studentSeed(ID, problem) (hash.ts),
 * made with the same sampling and engine as the build and the practice page. Problems without
 * params are the same for everyone and are left as built. No answer is computed into the page.
 *
 * `workbook handouts` loads the sheet once and calls `workbookShowStudent(id)` per student (set
 * once the sheet can solve every problem: after the counting profiles or cost models they need).
 */
import { studentSeed, variantOf, type ProblemSpec } from '../../workbook/variants/index.ts';
import { fill, loadsFor } from '../practice/client.ts';

declare global {
  interface Window {
    /** Shows student `id`'s variants; returns each randomized problem's seed, by problem id. */
    workbookShowStudent?: (id: string) => Record<string, number>;
  }
}

export function startStudentSheet(doc: Document): void {
  const sheet = doc.querySelector<HTMLElement>('[data-student-sheet]');
  if (!sheet) return;
  const problems = [...sheet.querySelectorAll<HTMLScriptElement>('script[data-spec-for]')].map((script) => ({
    root: script.closest<HTMLElement>('[data-problem]')!,
    spec: JSON.parse(script.textContent ?? '') as ProblemSpec,
  }));
  const name = sheet.querySelector<HTMLElement>('[data-student-id]');
  const show = (id: string): Record<string, number> => {
    const seeds: Record<string, number> = {};
    for (const { root, spec } of problems) {
      const variant = variantOf(spec, studentSeed(id, spec.id));
      fill(doc, root, variant);
      root.dataset.seed = String(variant.seed);
      seeds[spec.id] = variant.seed;
    }
    if (name) name.textContent = id;
    sheet.dataset.student = id;
    return seeds;
  };
  const start = () => {
    window.workbookShowStudent = show;
    const id = new URLSearchParams(location.search).get('student');
    if (id !== null && id.trim() !== '') show(id);
  };
  // What the set's problems need beyond the script first (counting profiles, cost models).
  const loads = problems.flatMap(({ root, spec }) => loadsFor(spec, root) ?? []);
  if (loads.length > 0) void Promise.all(loads).then(start);
  else start();
}
