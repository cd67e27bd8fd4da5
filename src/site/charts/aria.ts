/**
 * A Plot SVG as one image for assistive technology. Plot names each mark's group (`<g
 * aria-label="dot">`), but ARIA allows no name on an element without a role, and inside an image
 * its parts are not read anyway (axe-core: aria-prohibited-attr). The mark's kind stays in
 * `data-mark`, for styles and tests.
 */
export function asChartImage<E extends Element>(svg: E): E {
  svg.setAttribute('role', 'img');
  for (const part of svg.querySelectorAll('[aria-label]')) {
    part.setAttribute('data-mark', part.getAttribute('aria-label')!);
    part.removeAttribute('aria-label');
  }
  return svg;
}
