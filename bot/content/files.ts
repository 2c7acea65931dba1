/**
 * Where content is read from: the `content/` folder (what developers edit and
 * what the bot starts from) or a set of files held in memory (a version a
 * supervisor published, kept in Redis, or a draft being checked). The loader
 * reads only through this, so a published version is checked by exactly the
 * same code as the folder at start-up.
 *
 * Paths are relative to the content root with `/` separators
 * (`locales/zh-CN/greeting.json`, `policy/time-limits.json`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ContentFiles {
  /** Where problems say the files are (the folder, or "published version 7"). */
  readonly origin: string;
  /** The file's text, or undefined when there is no such file. */
  read(file: string): string | undefined;
  /** The names of the files directly in a folder (not sub-folders), sorted. */
  list(folder: string): string[];
  /** How a file is named in a problem (relative to the working directory for a folder). */
  shown(file: string): string;
}

/** A content bundle: every file's text by its relative path. */
export type ContentBundle = Record<string, string>;

/** The folders a content set has; anything else beside them (README.md) is not content. */
const FOLDERS = ['locales', 'policy', 'faq'];

export class FolderFiles implements ContentFiles {
  constructor(readonly dir: string) {}

  get origin(): string {
    return this.dir;
  }

  read(file: string): string | undefined {
    const full = path.join(this.dir, file);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  }

  list(folder: string): string[] {
    const full = path.join(this.dir, folder);
    if (!existsSync(full)) return [];
    return readdirSync(full).filter((name) => statSync(path.join(full, name)).isFile()).sort();
  }

  shown(file: string): string {
    const full = path.join(this.dir, file);
    return path.relative(process.cwd(), full) || full;
  }
}

export class BundleFiles implements ContentFiles {
  constructor(
    private readonly files: ContentBundle,
    readonly origin: string,
  ) {}

  read(file: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.files, file) ? this.files[file] : undefined;
  }

  list(folder: string): string[] {
    const prefix = `${folder}/`;
    return Object.keys(this.files)
      .filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes('/'))
      .map((f) => f.slice(prefix.length))
      .sort();
  }

  shown(file: string): string {
    return file;
  }
}

/** Every JSON file of a content folder, as a bundle (what is published and exported). */
export function readBundle(dir: string): ContentBundle {
  const files = new FolderFiles(dir);
  const bundle: ContentBundle = {};
  const walk = (folder: string) => {
    const full = path.join(dir, folder);
    if (!existsSync(full)) return;
    for (const name of readdirSync(full).sort()) {
      const rel = `${folder}/${name}`;
      if (statSync(path.join(full, name)).isDirectory()) walk(rel);
      else if (name.endsWith('.json')) bundle[rel] = files.read(rel) ?? '';
    }
  };
  for (const folder of FOLDERS) walk(folder);
  return bundle;
}

/** A bundle path is safe to write under a folder: relative, no `..`, one of the content folders, a .json file. */
export function isContentPath(file: string): boolean {
  const parts = file.split('/');
  return FOLDERS.includes(parts[0] ?? '') && parts.length >= 2 && parts.length <= 3 && parts.every((p) => /^[\w.-]+$/.test(p) && p !== '.' && p !== '..') && file.endsWith('.json');
}
