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
