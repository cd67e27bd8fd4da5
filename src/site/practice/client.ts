/**
 * The practice page's script. It makes the variant for the seed in the URL with the same
 * sampling and engine as the build, fills in the givens and the network, and checks answers.
 *
 * Safety: everything a student types is read with `.value` and written back only with
 * `.textContent`; the one `innerHTML` is KaTeX's rendering of engine-made TeX (render.ts).
 *
 * What a visitor may never use is loaded when needed: KaTeX and the derivations' HTML when a
 * derivation is first shown, the grading (answers with units, mistake hints) when an answer is
 * first started; the counting profiles (the tools' rules) and the cost models (fit, roofline,
 * throughput, energy) only for a problem that needs them, before its first variant (`loadsFor`).
 */
// The engine's modules, not its index, which would bring the zoo and the hardware profiles along.
import { countedNoun } from '../../workbook/nouns.ts';
import { formatNumber } from '../../engine/math/latex.ts';
import { formatShape } from '../../engine/shape.ts';
import { answerFigure, choiceAnswer, isAnswerName, type ChoiceOption, type ChoicePick } from '../../workbook/answers.ts';
import type { Figure } from '../../engine/math/derivation.ts';
import type { Feedback } from '../../workbook/grading/grade.ts';
import { displayFigure } from '../../workbook/grading/precision.ts';
import { CANONICAL_SEED, describeForReader, describeValues, homeworkVariant, isSeed, MAX_SEED, studentSeed, variantOf, type ProblemSpec, type Variant } from '../../workbook/variants/index.ts';
import { mlpPhrase, mlpWidths } from '../describe.ts';
import { loadCountingProfiles } from '#counting-profiles';
import { loadCostModels } from '#cost-models';
import { onDemand } from '../../workbook/on-demand.ts';
import { isInlineConfig, useConfigImporter } from '../../workbook/models.ts';

const loadRender = onDemand('KaTeX and the derivations', () => import('./render.ts')).load;
const loadGrading = onDemand('the grading', () => import('../../workbook/grading/index.ts')).load;
const loadConfigImporter = onDemand('the Hugging Face importer', () => import('../../workbook/config-importer.ts')).load;

/** A fresh seed from the browser's cryptographic generator (never 0, the homework). */
function freshSeed(): number {
  const buffer = new Uint32Array(1);
  crypto.getRandomValues(buffer);
  return buffer[0]! || 1;
}

export function startPractice(doc: Document): void {
  const root = doc.querySelector<HTMLElement>('[data-practice]');
  const specElement = doc.getElementById('practice-spec');
  if (!root || !specElement) return;
  const spec = JSON.parse(specElement.textContent ?? '') as ProblemSpec;
  const student = root.dataset.edition === 'student';
  // The checker of a problem without params (its own page, `data-fixed`): the homework, no seeds.
  if (root.dataset.fixed !== undefined) return startChecker(doc, root, spec);
  const status = doc.getElementById('variant-status')!;
  const seedInput = doc.getElementById('seed-input') as HTMLInputElement;
  const studentInput = doc.getElementById('student-input') as HTMLInputElement;
  const share = doc.getElementById('share-link') as HTMLAnchorElement;
  const body = root.querySelector<HTMLElement>('.practice-body')!;
  let current: Variant | undefined;

  const urlFor = (seed: number) => {
    const url = new URL(location.href);
    url.search = '';
    url.searchParams.set('seed', String(seed));
    return url;
  };

  /** Makes and shows variant `seed`; returns false (with a message) when it cannot. */
  const show = (seed: number, how: 'push' | 'replace' | 'none', note = ''): boolean => {
    if (student && seed === CANONICAL_SEED) {
      status.textContent = 'Seed 0 is the homework itself, which this edition does not check. Try another seed.';
      return false;
    }
    let variant: Variant;
    try {
      variant = variantOf(spec, seed);
    } catch (error) {
      status.textContent = `Seed ${seed} gives no variant: ${(error as Error).message}`;
      return false;
    }
    current = variant;
    fill(doc, root, variant);
    status.textContent = `${note}Variant ${seed}${seed === CANONICAL_SEED ? ' (the homework as written)' : ''}: ${spec.data.variation ? describeForReader(spec.data.variation, variant.values) : describeValues(variant.values)}.`;
    seedInput.value = String(seed);
    const url = urlFor(seed);
    share.href = url.href;
    share.textContent = url.href;
    if (how === 'push') history.pushState({ seed }, '', url);
    if (how === 'replace') history.replaceState({ seed }, '', url);
    body.dataset.seed = String(seed);
    return true;
  };

  const fromUrl = (how: 'replace' | 'none') => {
    const params = new URLSearchParams(location.search);
    const id = params.get('student');
    if (id !== null && id.trim() !== '') return show(studentSeed(id, spec.id), how, 'Your practice variant (graded work has other numbers). ');
    const text = params.get('seed');
    if (text !== null) {
      const seed = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
      if (isSeed(seed)) return show(seed, how);
      status.textContent = `The seed in the address, “${text.slice(0, 20)}”, is not a whole number from ${student ? 1 : 0} to ${MAX_SEED}; here is a fresh variant.`;
    }
    return show(freshSeed(), 'replace');
  };

  // A problem that names a counting profile or a hardware profile waits for what it needs.
  let loading = loadsFor(spec, root);
  const whenReady = (run: () => unknown) => {
    if (!loading) return void run();
    loading.then(
      () => ((loading = undefined), run()),
      (error: unknown) => (status.textContent = `Part of the engine could not be loaded (${(error as Error).message}); reload the page to try again.`),
    );
  };

  doc.getElementById('new-variant')!.addEventListener('click', () => whenReady(() => show(freshSeed(), 'push')));
  doc.getElementById('seed-form')!.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = seedInput.value.trim();
    const seed = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
    if (!isSeed(seed)) {
      status.textContent = `A seed is a whole number from ${student ? 1 : 0} to ${MAX_SEED}.`;
      return;
    }
    whenReady(() => show(seed, 'push'));
  });
  doc.getElementById('student-form')!.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = studentInput.value;
    if (id.trim() === '') {
      status.textContent = 'Enter your student id to get your variant.';
      return;
    }
    whenReady(() => show(studentSeed(id, spec.id), 'push', 'Your practice variant (graded work has other numbers). '));
  });
  window.addEventListener('popstate', () => whenReady(() => fromUrl('none')));

  wireAnswers(doc, root, spec, () => current);
  whenReady(() => fromUrl('replace'));
}

/** A problem without params on its own page: answers checked against the homework, nothing revealed. */
function startChecker(doc: Document, root: HTMLElement, spec: ProblemSpec): void {
  let current: Variant | undefined;
  wireAnswers(doc, root, spec, () => current);
  const solve = () => (current = homeworkVariant(spec));
  const loading = loadsFor(spec, root);
  if (loading) void loading.then(solve);
  else solve();
}

/** Each answer box checks what is typed or picked against the current variant's figure. */
function wireAnswers(doc: Document, root: HTMLElement, spec: ProblemSpec, currentVariant: () => Variant | undefined): void {
  const figures = new Map<HTMLElement, (variant: Variant) => Figure>();
  for (const box of root.querySelectorAll<HTMLElement>('.answer--practice')) {
    const kind = box.dataset.kind;
    const name = kind === 'choice' ? (box.dataset.of ?? '') : (box.dataset.answer ?? '');
    if (!isAnswerName(name)) continue;
    const select = selectOf(box);
    const form = box.querySelector('form')!;
    const input = form.querySelector('input')!;
    const feedback = box.querySelector<HTMLElement>('.feedback')!;
    // None on a homework's checker: its answers are checked, never shown.
    const reveal = box.querySelector<HTMLButtonElement>('.reveal');
    // A multiple choice: the engine picks among the options written on the box by <Choice>.
    const choice = kind === 'choice' ? { pick: JSON.parse(box.dataset.pick ?? '"max"') as ChoicePick, options: JSON.parse(box.dataset.options ?? '[]') as ChoiceOption[] } : undefined;
    /** The figure the derivation shows: the answer's, or the right option's. */
    const figureOf = (variant: Variant): Figure => {
      if (!choice) return answerFigure(variant.ctx, name, spec.file, select);
      const result = choiceAnswer(variant.ctx, name, choice.pick, choice.options, spec.file);
      return result.figures[result.index]!;
    };
    figures.set(box, figureOf);
    // The grading loads while the student writes an answer.
    form.addEventListener('focusin', () => void loadGrading().catch(() => undefined));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const variant = currentVariant();
      if (!variant) return;
      // A radio group's value is its checked option's ('' when none is checked).
      const picked = (form.elements.namedItem('answer') as RadioNodeList | HTMLInputElement).value;
      const typed = input.value;
      loadGrading().then(
        ({ grade, gradeChoice, gradeDecision }) => {
          if (currentVariant() !== variant) return; // a new variant came while the grading loaded
          const result: Feedback = choice
            ? gradeChoice(picked, variant.ctx, name, choice.pick, choice.options)
            : kind === 'yesno'
              ? gradeDecision(picked, variant.ctx, name, select)
              : grade(typed, variant.ctx, name, select);
          feedback.textContent = result.message;
          feedback.dataset.verdict = result.verdict;
          if (result.mistake) feedback.dataset.mistake = result.mistake;
          else delete feedback.dataset.mistake;
          if (!kind) input.setAttribute('aria-invalid', String(result.verdict !== 'correct'));
          // After a correct answer the derivation follows; after a wrong one, it waits for a request.
          if (result.verdict === 'correct' && reveal) void showDerivation(box, name, true);
        },
        (error: unknown) => {
          feedback.textContent = `Your answer could not be checked (${(error as Error).message}); try again.`;
          delete feedback.dataset.verdict;
          delete feedback.dataset.mistake;
        },
      );
    });
    reveal?.addEventListener('click', () => {
      const open = reveal.getAttribute('aria-expanded') === 'true';
      void showDerivation(box, name, !open);
    });
  }

  async function showDerivation(box: HTMLElement, name: string, open: boolean): Promise<void> {
    const reveal = box.querySelector<HTMLButtonElement>('.reveal')!;
    const panel = box.querySelector<HTMLElement>('.practice-derivation')!;
    reveal.setAttribute('aria-expanded', String(open));
    reveal.textContent = open ? 'Hide derivation' : 'Show derivation';
    if (!open) {
      panel.hidden = true;
      return;
    }
    const variant = currentVariant();
    if (!variant) return;
    const figure = figures.get(box)!(variant);
    const answer = doc.createElement('p');
    answer.className = 'answer-line';
    const strong = doc.createElement('strong');
    strong.className = 'answer-value';
    strong.textContent = displayFigure(figure);
    answer.append('Answer: ', strong);
    panel.replaceChildren(answer);
    panel.hidden = false;
    for (const v of root!.querySelectorAll<HTMLElement>(`[data-value="${name}"]`)) {
      if ((v.dataset.select ?? '') === (box.dataset.select ?? '')) v.textContent = displayFigure(figure);
    }
    try {
      const { derivationParts } = await loadRender();
      if (currentVariant() !== variant) return; // the variant changed while KaTeX loaded
      const { math: html, legend } = derivationParts(figure);
      const math = doc.createElement('div');
      math.className = 'math-display';
      // KaTeX's HTML of engine-made TeX: no student input reaches it.
      math.innerHTML = html;
      panel.append(math);
      if (legend) {
        const p = doc.createElement('p');
        p.className = 'legend';
        p.innerHTML = legend;
        panel.append(p);
      }
    } catch (error) {
      const p = doc.createElement('p');
      p.textContent = `The derivation could not be shown: ${(error as Error).message}`;
      panel.append(p);
    }
  }
}

/**
 * Loads what solving the problem needs beyond the script, if anything: the counting profiles for
 * a `profile`, the cost models for a `hardware` profile or a roof (`peakFlopsPerS`,
 * `bandwidthBytesPerS`; every cost answer needs one of them), named among its givens, the props
 * of the figures it asks, or on one of its answer boxes (their props, a choice's options).
 */
export function loadsFor(spec: ProblemSpec, root: HTMLElement): Promise<unknown> | undefined {
  const given = { ...spec.data.given, ...spec.data.variation?.given };
  const boxes = [...root.querySelectorAll<HTMLElement>('[data-select], [data-options]')].map((el) => `${el.dataset.select ?? ''} ${el.dataset.options ?? ''}`);
  const props = [...boxes, ...spec.answers.map((a) => JSON.stringify(a.select ?? {}))].join(' ');
  const loads: Promise<unknown>[] = [];
  if (given.profile !== undefined || /"profile"/.test(props)) loads.push(loadCountingProfiles());
  const roof = given.hardware !== undefined || given.peakFlopsPerS !== undefined || given.bandwidthBytesPerS !== undefined;
  // A language model's answers (answers-llm.ts) are in the cost models' chunk too.
  const languageModel = JSON.stringify(spec.models).includes('"CausalSelfAttention"');
  if (roof || languageModel || Object.keys(spec.hardwareProfiles).length > 0 || /"(hardware|peakFlopsPerS|bandwidthBytesPerS)"/.test(props)) loads.push(loadCostModels());
  // A config.json written inline: the Hugging Face importer makes each variant's model.
  if (isInlineConfig(spec.data.variation?.model ?? spec.data.model)) loads.push(loadConfigImporter().then((m) => useConfigImporter(m.inlineConfigDef)));
  return loads.length > 0 ? Promise.all(loads) : undefined;
}

/** Writes a variant into the page's placeholders and clears the answer boxes (also the set sheets' script). */
export function fill(doc: Document, root: HTMLElement, variant: Variant): void {
  const given = variant.given as Record<string, number | undefined>;
  for (const el of root.querySelectorAll<HTMLElement>('[data-given]')) {
    const name = el.dataset.given!;
    const value = given[name] ?? variant.values[name];
    const noun = el.dataset.noun;
    el.textContent = value === undefined ? '?' : noun === undefined ? formatNumber(value) : countedNoun(value, noun, el.dataset.plural);
  }
  const model = variant.ctx.model;
  const widths = mlpWidths(model);
  for (const el of root.querySelectorAll<HTMLElement>('[data-network="inline"]')) {
    el.textContent = widths ? mlpPhrase(widths) : `${model.name}, input ${formatShape(model.input)}`;
  }
  for (const figure of root.querySelectorAll<HTMLElement>('[data-network="table"]')) {
    const line = figure.querySelector<HTMLElement>('[data-network-widths]')!;
    line.hidden = !widths;
    line.replaceChildren();
    if (widths) {
      line.setAttribute('aria-label', `Layer widths: ${widths.join(', ')}`);
      widths.forEach((w, i) => {
        if (i > 0) {
          const arrow = doc.createElement('span');
          arrow.className = 'arrow';
          arrow.setAttribute('aria-hidden', 'true');
          arrow.textContent = ' → ';
          line.append(arrow);
        }
        const width = doc.createElement('span');
        width.className = 'width';
        width.textContent = formatNumber(w);
        line.append(width);
      });
    }
    // A variant's network is not the homework's model: its caption does not borrow that name.
    figure.querySelector('[data-network-name]')!.textContent = variant.canonical ? model.name : 'this variant’s network';
    const rows = model.layers.map((l) => {
      const tr = doc.createElement('tr');
      const th = doc.createElement('th');
      th.scope = 'row';
      th.textContent = l.path.join('.');
      const kind = doc.createElement('td');
      const code = doc.createElement('code');
      code.textContent = l.label;
      kind.append(code);
      const cell = (text: string) => {
        const td = doc.createElement('td');
        td.textContent = text;
        return td;
      };
      tr.append(th, kind, cell(formatShape(l.inputShape)), cell(formatShape(l.outputShape)));
      return tr;
    });
    figure.querySelector('[data-network-rows]')!.replaceChildren(...rows);
  }
  for (const box of root.querySelectorAll<HTMLElement>('.answer--practice')) {
    for (const input of box.querySelectorAll('input')) {
      if (input.type === 'radio') input.checked = false;
      else input.value = '';
      input.removeAttribute('aria-invalid');
    }
    const feedback = box.querySelector<HTMLElement>('.feedback')!;
    feedback.textContent = '';
    delete feedback.dataset.verdict;
    delete feedback.dataset.mistake;
    const reveal = box.querySelector<HTMLButtonElement>('.reveal')!;
    reveal.setAttribute('aria-expanded', 'false');
    reveal.textContent = 'Show derivation';
    const panel = box.querySelector<HTMLElement>('.practice-derivation')!;
    panel.hidden = true;
    panel.replaceChildren();
  }
  for (const v of root.querySelectorAll<HTMLElement>('[data-value]')) v.textContent = '\u00a0';
}

/** The props that select an answer's figure (layer, profile, ...), written on its box by <Answer>. */
function selectOf(el: HTMLElement): Record<string, unknown> {
  if (!el.dataset.select) return {};
  const parsed: unknown = JSON.parse(el.dataset.select);
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}
