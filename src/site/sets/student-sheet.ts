/**
 * The script of a set's per-student sheet (/sets/<set>/student/): `workbook handouts` loads it
 * once and, per student, calls `workbookShowStudent(id, name, variants)` with that student's
 * graded variant of each randomized problem as its parameter values. The seeds of graded variants
 * are keyed by the course secret (src/publish/secret.ts), which never reaches a page: the sheet
 * cannot draw a graded variant itself, it only poses the values it is given. Problems without
 * params are the same for everyone and are left as built. No answer is computed into the page.
 */
import { variantWithValues, type ProblemSpec } from '../../workbook/variants/index.ts';
import { fill, loadsFor } from '../practice/client.ts';

/** A student's variant of one problem: its seed (shown in the page's data only) and its parameter values. */
export interface SheetVariant {
  readonly seed: number;
  readonly values: Readonly<Record<string, number>>;
}

declare global {
  interface Window {
    /** Shows a student's variants; returns each randomized problem's values as posed, by problem id. */
    workbookShowStudent?: (id: string, name: string | undefined, variants: Readonly<Record<string, SheetVariant>>) => Record<string, Readonly<Record<string, number>>>;
  }
}

export function startStudentSheet(doc: Document): void {
  const sheet = doc.querySelector<HTMLElement>('[data-student-sheet]');
  if (!sheet) return;
  const problems = [...sheet.querySelectorAll<HTMLScriptElement>('script[data-spec-for]')].map((script) => ({
    root: script.closest<HTMLElement>('[data-problem]')!,
    spec: JSON.parse(script.textContent ?? '') as ProblemSpec,
  }));
  const idSlot = sheet.querySelector<HTMLElement>('[data-student-id]');
  const nameSlot = sheet.querySelector<HTMLElement>('[data-student-name]');
  const show: NonNullable<Window['workbookShowStudent']> = (id, name, variants) => {
    const posed: Record<string, Readonly<Record<string, number>>> = {};
    for (const { root, spec } of problems) {
      const given = variants[spec.id];
      if (!given) throw new Error(`no variant of ${spec.id} for ${id}`);
      const variant = variantWithValues(spec, given.seed, given.values);
      fill(doc, root, variant);
      root.dataset.seed = String(variant.seed);
      posed[spec.id] = variant.values;
    }
    // Text, never HTML: a roster is data.
    if (idSlot) idSlot.textContent = id;
    if (nameSlot) {
      nameSlot.textContent = name ?? '';
      nameSlot.hidden = !name;
    }
    sheet.dataset.student = id;
    return posed;
  };
  const start = () => {
    window.workbookShowStudent = show;
  };
  // What the set's problems need beyond the script first (counting profiles, cost models).
  const loads = problems.flatMap(({ root, spec }) => loadsFor(spec, root) ?? []);
  if (loads.length > 0) void Promise.all(loads).then(start);
  else start();
}
