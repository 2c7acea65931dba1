/**
 * WeChat's flat XML, read with fast-xml-parser with entity processing off, and
 * any DOCTYPE refused outright (no entity expansion, no external entities).
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { AppError } from '../../bot/errors';

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false, // MsgId is a 64-bit integer: keep every value a string
  parseAttributeValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  trimValues: true,
});
const builder = new XMLBuilder({ cdataPropName: '__cdata' });

const bad = (message: string) => new AppError('WECHAT_XML_INVALID', message, 400);

/** Parses `<xml>…</xml>` into a flat record of strings. */
export function parseWeChatXml(body: string): Record<string, unknown> {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw bad('DOCTYPE and entity declarations are not accepted');
  let parsed: unknown;
  try {
    parsed = parser.parse(body, true);
  } catch {
    throw bad('body is not well-formed XML');
  }
  const root = (parsed as { xml?: unknown } | undefined)?.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw bad('body is not a WeChat <xml> message');
  return root as Record<string, unknown>;
}

/** Builds `<xml>…</xml>`; strings become CDATA, numbers plain. */
export function buildWeChatXml(fields: Record<string, string | number>): string {
  const xml: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) xml[k] = typeof v === 'number' ? v : { __cdata: v };
  return builder.build({ xml }) as string;
}
