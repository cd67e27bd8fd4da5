/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Set by a problem page before its MDX renders; read by the authoring components. */
    problem?: import('./site/problem-context.ts').PageProblem;
  }
}

// Plain `tsc` does not read .astro files; this lets TypeScript modules import them.
declare module '*.astro' {
  const Component: (props: Record<string, unknown>) => unknown;
  export default Component;
}

// src/site/content-modules.ts: an MDX content file's compiled module, by its absolute path.
declare module 'virtual:workbook/content' {
  export function load(file: string): Promise<{ default: (props: Record<string, unknown>) => unknown }> | undefined;
}
