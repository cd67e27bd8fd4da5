/**
 * The analyzer page's script with a language model (issue 27), on a DOM of the page's form
 * (linkedom, no browser): a built-in LLM picked from the list, and a pasted config.json.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { startAnalyzer, type AnalyzerData } from '../../src/site/analyze/client.ts';
import { LLM_ZOO } from '../../src/engine/index.ts';

function page() {
  const data: AnalyzerData = { zoo: [], llm: LLM_ZOO.map((e) => ({ id: e.id, description: e.description, config: e.config })) };
  const { document } = parseHTML(`<!doctype html><html><body><article data-analyzer>
    <form id="analyzer-form"><label id="drop-zone"><input type="file" id="model-file" /></label>
    <textarea id="model-json"></textarea>
    <select id="model-zoo"><option value="">(none)</option>${data.llm!.map((e) => `<option value="${e.id}">${e.id}</option>`).join('')}</select>
    <input id="opt-batch" value="1" /><select id="opt-precision"><option value="fp16" selected>fp16</option></select>
    <input id="opt-context" value="1024" />
    <select id="opt-hardware"><option value="nvidia-h100-sxm5-80gb" selected>H100</option></select></form>
    <p id="analyzer-status"></p><p id="analyzer-error" hidden></p><div id="analyzer-result" hidden></div></article>
    <script type="application/json" id="analyzer-data">${JSON.stringify(data)}</script></body></html>`);
  // linkedom's <select> has no value setter: a plain property stands in for it.
  Object.defineProperty(document.getElementById('model-zoo'), 'value', { value: '', writable: true });
  startAnalyzer(document as unknown as Document);
  return document;
}

describe('the analyzer with a language model', () => {
  it('Llama-2-13B from the list on the H100: 8.021 ms per token', () => {
    const doc = page();
    const select = doc.getElementById('model-zoo') as unknown as HTMLSelectElement;
    select.value = 'llama-2-13b';
    select.dispatchEvent(new doc.defaultView!.Event('change'));
    const result = doc.getElementById('analyzer-result')!;
    expect(doc.getElementById('analyzer-error')!.textContent).toBe('');
    expect(result.textContent).toContain('Language model: prefill and decode');
    expect(result.textContent).toContain('13,015,864,320');
    expect(result.textContent).toContain('8.021 ms (memory-bound)');
  });

  it('a pasted config.json with a missing key: the error names it', () => {
    const doc = page();
    const text = doc.getElementById('model-json') as unknown as HTMLTextAreaElement;
    text.textContent = JSON.stringify({ model_type: 'llama', vocab_size: 10, hidden_size: 64, num_hidden_layers: 1, num_attention_head: 4, intermediate_size: 8 });
    text.dispatchEvent(new doc.defaultView!.Event('input'));
    (doc.getElementById('analyzer-form') as unknown as HTMLFormElement).dispatchEvent(new doc.defaultView!.Event('submit'));
    expect(doc.getElementById('analyzer-error')!.textContent).toMatch(/missing key 'num_attention_heads'; did you mean 'num_attention_head'\?/);
  });
});
