import { createHash } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import Negotiator from 'negotiator';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

type Encoding = 'br' | 'gzip' | 'identity';
/** Our preference when the client accepts several equally: smallest first. */
const ENCODINGS: Encoding[] = ['br', 'gzip', 'identity'];

interface Variant {
  body: Buffer;
  etag: string;
}

/**
 * A page served as is (GraphiQL): rendered once, on its first request, then kept with its gzip
 * and brotli forms, each with its own strong ETag. Served with `Cache-Control: no-cache`, so a
 * browser asks again each time and gets 304 while the page is unchanged.
 */
export interface StaticPage {
  contentType: string;
  /** Extra response headers (Content-Security-Policy ...). */
  headers: Record<string, string>;
  variant(encoding: Encoding): Promise<Variant>;
}

export interface StaticPageOptions {
  contentType: string;
  /** Called once, on the first request, so that a process that never serves the page never builds it. */
  render(): string | Buffer;
  headers?: Record<string, string>;
}

export function staticPage(options: StaticPageOptions): StaticPage {
  let variants: Promise<Record<Encoding, Variant>> | undefined;
  const build = async (): Promise<Record<Encoding, Variant>> => {
    const raw = Buffer.from(options.render());
    const hash = createHash('sha256').update(raw).digest('base64url').slice(0, 27);
    // Brotli's default quality (11) takes tens of seconds on megabytes; 6 is within a few per cent of it.
    const [br, gz] = await Promise.all([
      brotli(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 6, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
      gzipped(raw, { level: 9 }),
    ]);
    return {
      identity: { body: raw, etag: `"${hash}"` },
      gzip: { body: gz, etag: `"${hash}-gzip"` },
      br: { body: br, etag: `"${hash}-br"` },
    };
  };
  return {
    contentType: options.contentType,
    headers: options.headers ?? {},
    async variant(encoding) {
      variants ??= build().catch((err: unknown) => {
        variants = undefined; // try again on the next request
        throw err;
      });
      return (await variants)[encoding];
    },
  };
}

/** Serves a StaticPage to a GET or HEAD: the best encoding the client accepts, 304 when its If-None-Match names the page. */
export async function servePage(req: IncomingMessage, res: ServerResponse, page: StaticPage, vary: string[] = []): Promise<number> {
  const chosen = (new Negotiator(req).encoding as (available: string[], options: { preferred: string[] }) => string | undefined)(ENCODINGS, { preferred: ENCODINGS });
  const encoding: Encoding = chosen === 'br' || chosen === 'gzip' ? chosen : 'identity';
  const variant = await page.variant(encoding);
  const headers: Record<string, string> = {
    ...page.headers,
    'content-type': page.contentType,
    'cache-control': 'no-cache',
    etag: variant.etag,
    vary: ['Accept-Encoding', ...vary].join(', '),
  };
  if (encoding !== 'identity') headers['content-encoding'] = encoding;
  if (await matches(req.headers['if-none-match'], page)) {
    res.writeHead(304, headers);
    res.end();
    return 304;
  }
  res.writeHead(200, { ...headers, 'content-length': String(variant.body.length) });
  res.end(req.method === 'HEAD' ? undefined : variant.body);
  return 200;
}

/** Any of the page's ETags matches: its encodings carry the same content. */
async function matches(ifNoneMatch: string | undefined, page: StaticPage): Promise<boolean> {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const tags = new Set(ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, '')));
  for (const encoding of ENCODINGS) if (tags.has((await page.variant(encoding)).etag)) return true;
  return false;
}
