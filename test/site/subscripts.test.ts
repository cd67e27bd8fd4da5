/** Answer titles: an author's `d_model` reads d<sub>model</sub>, and the rest stays escaped text. */
import { describe, expect, it } from 'vitest';
import { subscriptHtml } from '../../src/site/subscripts.ts';

describe('subscriptHtml', () => {
  it.each([
    ['Head size d_k', 'Head size d<sub>k</sub>'],
    ['d_model (embedding size)', 'd<sub>model</sub> (embedding size)'],
    ['Standard: c_o c_i k_h k_w', 'Standard: c<sub>o</sub> c<sub>i</sub> k<sub>h</sub> k<sub>w</sub>'],
    ['Latency ≈ max(T_compute, T_memory)', 'Latency ≈ max(T<sub>compute</sub>, T<sub>memory</sub>)'],
    ['x_{a b}', 'x<sub>a b</sub>'],
    // Not after a letter, or nothing to subscript: left as written.
    ['snake_ 1_2 _x', 'snake_ 1_2 _x'],
    // Escaped: a label is data.
    ['<b>_x</b> & "q_<i>"', '&lt;b&gt;_x&lt;/b&gt; &amp; &quot;q_&lt;i&gt;&quot;'],
  ])('%s', (text, html) => {
    expect(subscriptHtml(text)).toBe(html);
  });
});
