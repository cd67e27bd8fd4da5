/**
 * The MDX files the site renders, by collection: the course's problems (`problems/**\/*.mdx`) and
 * chapters (`content/chapters/*.mdx`), and the generator's guides (`content/guides/*.mdx`). Read
 * by the content module's Vite plugin (which file each page may import) and by the pages (which
 * entries there are); plain Node, no Vite.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { contentDir, problemFiles, problemsDir } from '../workbook/course.ts';

export type CollectionName = 'problems' | 'chapters' | 'guides';

/** The generator's folder (Astro's root), where content/guides/ is. */
function generatorRoot(): string {
  return process.env.WORKBOOK_ASTRO_ROOT ?? process.cwd();
}

function mdxIn(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.mdx'))
      .map((e) => join(dir, e.name))
      .sort();
  } catch {
    // No such folder: a course without chapters.
    return [];
  }
}

/** A collection's files (absolute paths, sorted) and the folder their ids are relative to. */
export function collectionFiles(name: CollectionName): { dir: string; files: string[] } {
  switch (name) {
    case 'problems': {
      return { dir: problemsDir(), files: problemFiles() };
    }
    case 'chapters': {
      const dir = join(contentDir(), 'chapters');
      return { dir, files: mdxIn(dir) };
    }
    case 'guides': {
      const dir = join(generatorRoot(), 'content/guides');
      return { dir, files: mdxIn(dir) };
    }
  }
}

export const COLLECTIONS: readonly CollectionName[] = ['problems', 'chapters', 'guides'];
