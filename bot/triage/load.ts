/**
 * Reads and validates `policy/triage.json` alone, with the schema the content
 * loader uses, for the triage CLIs: checking a rule change against saved
 * messages needs only this file, and a problem elsewhere in content/ (another
 * half-edited file) should not stop it. The bot itself loads all of content/.
 * The learned weights (`policy/triage-weights.json`) are optional: absent, the
 * rules decide alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { ContentError, DEFAULT_CONTENT_DIR } from '../content/loader';
import { triagePolicySchema, type TriagePolicy } from './policy';
import { triageWeightsSchema, type TriageWeights } from './weights';

function readValidated<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ContentError([`${file}: ${error instanceof SyntaxError ? `not valid JSON (${error.message})` : 'cannot be read'}`]);
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new ContentError(result.error.issues.map((i) => `${file}: ${i.path.join('.') || '(root)'}: ${i.message}`));
  return result.data;
}

export function loadTriagePolicy(dir: string = DEFAULT_CONTENT_DIR): TriagePolicy {
  return readValidated(path.join(dir, 'policy', 'triage.json'), triagePolicySchema);
}

/** A weights file (published or just learned), validated; refused with every problem named. */
export function loadTriageWeights(file: string): TriageWeights {
  return readValidated(file, triageWeightsSchema);
}

/** The published weights of a content folder, or undefined when none are published. */
export function loadPublishedTriageWeights(dir: string = DEFAULT_CONTENT_DIR): TriageWeights | undefined {
  const file = path.join(dir, 'policy', 'triage-weights.json');
  return existsSync(file) ? loadTriageWeights(file) : undefined;
}
