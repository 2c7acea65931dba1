/**
 * Reads a request body with a size limit and parses it as JSON, with errors
 * that carry stable codes. We read bodies ourselves (not restify's bodyParser)
 * so every route answers oversized and malformed input the same way.
 */
import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors';

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) {
    req.resume();
    throw new AppError('PAYLOAD_TOO_LARGE', `Body larger than ${maxBytes} bytes`, 413);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `Body larger than ${maxBytes} bytes`, 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * How deep a JSON body may nest. Real activities nest a handful of levels;
 * JSON.parse itself copes with 100 000 levels, but every recursive walk after it
 * (zod, JSON.stringify when the activity is stored, the log serializers) would
 * overflow the stack, so depth is refused before parsing.
 */
export const MAX_JSON_DEPTH = 64;

export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const body = await readBody(req, maxBytes);
  if (body.length === 0) return undefined;
  if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
    throw new AppError('BAD_REQUEST', `Body nests deeper than ${MAX_JSON_DEPTH} levels`, 400);
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('BAD_REQUEST', 'Body is not valid JSON', 400);
  }
}

/** True when brackets outside strings nest deeper than `max` (one pass over the bytes, no parsing). */
export function jsonDepthExceeds(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
