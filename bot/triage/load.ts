/**
 * Reads and validates `policy/triage.json` alone, with the schema the content
 * loader uses, for the triage CLIs: checking a rule change against saved
 * messages needs only this file, and a problem elsewhere in content/ (another
 * half-edited file) should not stop it. The bot itself loads all of content/.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ContentError, DEFAULT_CONTENT_DIR } from '../content/loader';
import { triagePolicySchema, type TriagePolicy } from './policy';

export function loadTriagePolicy(dir: string = DEFAULT_CONTENT_DIR): TriagePolicy {
  const file = path.join(dir, 'policy', 'triage.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ContentError([`${file}: ${error instanceof SyntaxError ? `not valid JSON (${error.message})` : 'cannot be read'}`]);
  }
  const result = triagePolicySchema.safeParse(raw);
  if (!result.success) throw new ContentError(result.error.issues.map((i) => `${file}: ${i.path.join('.') || '(root)'}: ${i.message}`));
  return result.data;
}
