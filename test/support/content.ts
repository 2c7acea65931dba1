/** Content folders for tests: a private copy of the shipped content to break, and what the loader says of one. */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ContentError, DEFAULT_CONTENT_DIR, loadContent } from '../../bot/content/loader';

export function copyContent(prefix = 'content-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cpSync(DEFAULT_CONTENT_DIR, dir, { recursive: true });
  return dir;
}

/** The problems start-up would refuse the folder for; [] when it loads. */
export function problemsOf(dir: string): string[] {
  try {
    loadContent(dir);
    return [];
  } catch (error) {
    if (error instanceof ContentError) return error.problems;
    throw error;
  }
}
