/**
 * `virtual:workbook/content`: the compiled MDX module of each content file (src/site/content.ts).
 *
 * In a build it is a static map, one dynamic import per file the edition renders, so Rolldown
 * bundles each MDX file once into its own chunk. In `astro dev` it imports the file asked for at
 * request time, so a problem added while the server runs renders without a restart; an edited file
 * is a module like any other, reloaded by Vite.
 */
import type { AstroIntegration } from 'astro';
import type { Plugin } from 'vite';
import { collectionFiles, COLLECTIONS } from './content-files.ts';
import { currentEdition } from './edition.ts';
import { studentEditionParts } from '../workbook/course.ts';

const ID = 'virtual:workbook/content';
const RESOLVED = `\0${ID}`;

/** The build's map: every problem and chapter; the guides when this edition serves them. */
function buildModuleCode(): string {
  const guides = currentEdition() === 'solutions' || studentEditionParts().guide;
  const files = COLLECTIONS.filter((c) => c !== 'guides' || guides).flatMap((c) => collectionFiles(c).files);
  const lines = files.map((file) => `  ${JSON.stringify(file)}: () => import(${JSON.stringify(file)}),`);
  return `const modules = {\n${lines.join('\n')}\n};\nexport function load(file) {\n  const m = modules[file];\n  return m ? m() : undefined;\n}\n`;
}

/** The dev server's: whichever file a page asks for, through Vite's /@fs/ (the course may be outside its root). */
const DEV_MODULE_CODE = `export function load(file) {\n  return import(/* @vite-ignore */ '/@fs' + (file.startsWith('/') ? '' : '/') + file);\n}\n`;

function contentModulePlugin(command: 'build' | 'dev'): Plugin {
  return {
    name: 'workbook-content-modules',
    resolveId(id) {
      return id === ID ? RESOLVED : undefined;
    },
    load(id) {
      if (id !== RESOLVED) return undefined;
      return command === 'build' ? buildModuleCode() : DEV_MODULE_CODE;
    },
  };
}

export function contentModules(): AstroIntegration {
  return {
    name: 'workbook-content-modules',
    hooks: {
      'astro:config:setup': ({ command, updateConfig }) => {
        updateConfig({ vite: { plugins: [contentModulePlugin(command === 'build' ? 'build' : 'dev')] } });
      },
    },
  };
}
