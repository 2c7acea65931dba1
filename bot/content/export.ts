/**
 * Writes a content version out as files, in the layout of content/ (what
 * `npm run content:export -- DIR` does): developers take what supervisors
 * published back into the repository, and `npm run content:check DIR`
 * accepts the folder.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isContentPath, type ContentBundle } from './files';

export function writeBundle(files: ContentBundle, dir: string, options: { force?: boolean } = {}): number {
  if (existsSync(dir) && readdirSync(dir).length > 0 && !options.force) {
    throw new Error(`${dir} is not empty: pass --force to write over it`);
  }
  let written = 0;
  for (const [file, text] of Object.entries(files)) {
    // Paths come from the store: never write outside the folder.
    if (!isContentPath(file)) throw new Error(`refusing to write ${JSON.stringify(file)}: not a content path`);
    const target = path.join(dir, ...file.split('/'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    written++;
  }
  return written;
}
