/**
 * Plain-text labels written the way authors write symbols, `d_model`, `T_compute`, `c_o c_i k_h`,
 * as HTML with real subscripts: d<sub>model</sub>. The text is escaped first; only the subscripts
 * become markup, so an author's label stays data.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** `x_abc` and `x_{ab c}` after a letter become x<sub>abc</sub>; everything else is escaped text. */
export function subscriptHtml(text: string): string {
  return escapeHtml(text).replace(/(?<=[A-Za-z])_(?:\{([^{}]+)\}|([A-Za-z0-9]+))/g, (_m, braced: string | undefined, bare: string | undefined) => `<sub>${braced ?? bare}</sub>`);
}
