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
 * and brotli forms (each made when first asked for), each with its own strong ETag. Served with `Cache-Control: no-cache`, so a
 * browser asks again each time and gets 304 while the page is unchanged.
 */
export interface StaticPage {
  contentType: string;
  /** Extra response headers (Content-Security-Policy ...). */
  headers: Record<string, string>;
  variant(encoding: Encoding): Promise<Variant>;
  /** The ETags of all its encodings (without compressing any). */
  etags(): Promise<string[]>;
}

export interface StaticPageOptions {
  contentType: string;
  /** Called once, on the first request, so that a process that never serves the page never builds it. */
  render(): string | Buffer;
  headers?: Record<string, string>;
}

export function staticPage(options: StaticPageOptions): StaticPage {
  let rendered: Promise<{ raw: Buffer; hash: string }> | undefined;
  const variants = new Map<Encoding, Promise<Variant>>();
  const render = () =>
    (rendered ??= (async () => {
      const raw = Buffer.from(options.render());
      return { raw, hash: createHash('sha256').update(raw).digest('base64url').slice(0, 27) };
    })());
  const build = async (encoding: Encoding): Promise<Variant> => {
    const { raw, hash } = await render();
    if (encoding === 'identity') return { body: raw, etag: `"${hash}"` };
    // Brotli's default quality (11) takes tens of seconds on megabytes; 5 is within a few per cent of it.
    const body =
      encoding === 'br'
        ? await brotli(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } })
        : await gzipped(raw, { level: 6 });
    return { body, etag: `"${hash}-${encoding}"` };
  };
  return {
    contentType: options.contentType,
    headers: options.headers ?? {},
    variant(encoding) {
      let variant = variants.get(encoding);
      if (!variant) {
        variant = build(encoding);
        variants.set(encoding, variant);
        // A failure is not kept: the next request tries again.
        variant.catch(() => {
          variants.delete(encoding);
          rendered = undefined;
        });
      }
      return variant;
    },
    async etags() {
      const { hash } = await render();
      return ENCODINGS.map((e) => (e === 'identity' ? `"${hash}"` : `"${hash}-${e}"`));
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
  return (await page.etags()).some((etag) => tags.has(etag));
}
