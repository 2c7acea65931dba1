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

export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const body = await readBody(req, maxBytes);
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('BAD_REQUEST', 'Body is not valid JSON', 400);
  }
}
