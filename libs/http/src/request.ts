import { IncomingMessage } from 'node:http';
import { BodyLimits, bodyLimitOf, largestBodyLimit } from './body-limits';
import { findForbiddenInRequest, forbiddenTextMessage } from './input';
import { HttpRefusal } from './refusal';

/** A GraphQL request as sent, before Apollo has looked at it. */
export interface GraphQLRequestText {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

const tooLarge = (maxBytes: number) =>
  new HttpRefusal(413, `The request body is larger than ${maxBytes} bytes; send a smaller query (use variables, not inlined data).`, 'BAD_REQUEST', {
    connection: 'close',
  });

/** Reads the body up to maxBytes; beyond that, 413 without buffering the rest. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    // Keeps reading after a refusal (discarding) so that the client gets to read the 413.
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

function isJson(contentType: string | undefined): boolean {
  const essence = contentType?.split(';')[0].trim().toLowerCase();
  return essence === 'application/json' || essence === 'application/graphql-response+json';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The request as a GET carries it; invalid percent-encoded UTF-8 is refused (URLSearchParams would make it U+FFFD). */
export function getRequest(url: URL): Record<string, unknown> {
  try {
    decodeURIComponent(url.search.replace(/\+/g, ' '));
  } catch {
    throw new HttpRefusal(400, 'The query string is not valid percent-encoded UTF-8.', 'BAD_REQUEST');
  }
  const params = url.searchParams;
  let variables: unknown;
  try {
    variables = JSON.parse(params.get('variables') ?? 'null');
  } catch {
    variables = undefined; // Apollo explains
  }
  return { query: params.get('query') ?? undefined, operationName: params.get('operationName'), variables };
}

/** NUL and other control characters in any text of the request: BAD_USER_INPUT naming where (see ./input). */
export function refuseForbiddenText(request: GraphQLRequestText): void {
  const found = findForbiddenInRequest(request);
  if (!found) return;
  const message = forbiddenTextMessage(found);
  throw new HttpRefusal(400, message, 'BAD_USER_INPUT', {}, { field: found.field, problems: [{ field: found.field, message }] });
}

/**
 * Reads and parses a JSON body within its operation's limit (./body-limits): the reader stops at the
 * largest allowance; a body above the default is then held to the allowance of the operation it runs.
 */
export async function readJson(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const raw = await readBody(req, largestBodyLimit(limits));
  const body = parseJsonBody(req, raw);
  if (raw.length > limits.default) {
    const allowed = body !== null && typeof body === 'object' ? bodyLimitOf(body as GraphQLRequestText, limits) : limits.default;
    if (raw.length > allowed) throw tooLarge(allowed);
  }
  return body;
}

function parseJsonBody(req: IncomingMessage, raw: Buffer): unknown {
  if (!isJson(req.headers['content-type'])) return undefined; // Apollo explains (content type / CSRF)
  let text: string;
  try {
    // Not toString('utf8'), which would quietly store invalid bytes as U+FFFD.
    text = utf8.decode(raw);
  } catch {
    throw new HttpRefusal(400, 'The request body is not valid UTF-8: send JSON encoded as UTF-8.', 'BAD_REQUEST');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpRefusal(400, 'The request body is not valid JSON: send {"query": "...", "variables": {...}}.', 'BAD_REQUEST');
  }
  // Apollo refuses batches too (allowBatchedHttpRequests is off), but without saying what to do instead.
  if (Array.isArray(body)) {
    throw new HttpRefusal(400, 'Batched requests (a JSON array of operations) are not supported: send one operation per request.', 'BAD_REQUEST');
  }
  return body;
}
