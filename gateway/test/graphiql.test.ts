import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { buildClientSchema, getIntrospectionQuery, IntrospectionQuery, parse, validate } from 'graphql';
import pino from 'pino';
import { issueClientToken } from '@ap/auth';
import { createGateway, RunningGateway } from '../src';
import { EXAMPLE_TABS } from '../src/graphiql-examples';
import { externalReferences, findReferences } from './page-references';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

let gateway: RunningGateway;
let base: string;
let adminToken: string;

beforeAll(async () => {
  // The real supergraph; no subgraph is needed to serve the page or answer introspection.
  const supergraphSdl = readFileSync(join(__dirname, '..', '..', 'schemas', 'supergraph.graphql'), 'utf8');
  gateway = await createGateway({ supergraphSdl, port: 0, logger: pino({ level: 'silent' }) });
  base = gateway.url.replace(/\/graphql$/, '');
  adminToken = await issueClientToken({ userId: 'alice', role: 'LA_ADMIN', org: { type: 'la', id: '865' } });
});

afterAll(async () => {
  await gateway?.stop();
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http, not fetch: fetch would ask for and undo the compression itself. */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let html: string;

describe('GraphiQL served by the gateway', () => {
  it('serves one page on /graphiql, brotli-compressed when the browser accepts it, with an ETag and a CSP that allows only this gateway', async () => {
    // The first request renders and compresses the ~9 MB page: seconds on a busy machine.
    const r = await get('/graphiql', { accept: BROWSER_ACCEPT, 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers.etag).toMatch(/^"[A-Za-z0-9_-]+-br"$/);
    expect(r.headers.vary).toContain('Accept-Encoding');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['content-security-policy']).toContain("connect-src 'self'");
    html = brotliDecompressSync(r.body).toString('utf8');
    expect(html).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(html).toContain('id="ap-token-input"');
    // ~9 MB of page; what crosses the network is a fraction of it.
    expect(html.length).toBeGreaterThan(5_000_000);
    expect(r.body.length).toBeLessThan(html.length / 3);
  }, 60_000);

  it('serves gzip to a client that accepts only gzip, and the page as is to one that accepts neither', async () => {
    const gz = await get('/graphiql', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString('utf8')).toBe(html);
    const plain = await get('/graphiql', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(html);
    expect(new Set([gz.headers.etag, plain.headers.etag]).size).toBe(2);
  }, 30_000);

  it('answers 304 without the page when the browser already has it', async () => {
    const first = await get('/graphiql', { 'accept-encoding': 'br' });
    const again = await get('/graphiql', { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const changed = await get('/graphiql', { 'accept-encoding': 'br', 'if-none-match': '"something-else"' });
    expect(changed.status).toBe(200);
  });

  it('serves the page on /graphql to a browser, without asking it to sign in first, and JSON to GraphQL clients as before', async () => {
    const page = await get('/graphql', { accept: BROWSER_ACCEPT, 'accept-encoding': 'gzip' });
    expect(page.status).toBe(200);
    expect(page.headers.vary).toBe('Accept-Encoding, Accept');
    expect(gunzipSync(page.body).toString('utf8')).toBe(html);
    const client = await get('/graphql?query=%7B__typename%7D', { accept: 'application/json' });
    expect(client.status).toBe(401);
    expect(JSON.parse(client.body.toString()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const anything = await get('/graphql?query=%7B__typename%7D', { accept: '*/*' });
    expect(anything.status).toBe(401);
  }, 30_000);

  it('references nothing but relative, 127.0.0.1, data: and blob: URLs', () => {
    const all = findReferences(html);
    // It does look: the fonts and images it inlines are data: URLs.
    expect(all.filter((r) => r.url.startsWith('data:font/')).length).toBeGreaterThan(5);
    expect(externalReferences(html)).toEqual([]);
  });

  it('would report a page that loads from a CDN (the check can fail)', () => {
    const bad = `<html><head><link rel="stylesheet" href="https://cdn.example.net/graphiql.css">
      <style>@import "https://fonts.example.com/inter.css"; .x { background: url(//img.example.org/a.png) }</style>
      <script src="https://unpkg.example/graphiql.js"></script></head>
      <body><img srcset="/ok.png 1x, https://img.example.org/b.png 2x"><script>
        const w = new Worker("https://cdn.example.net/worker.js"); fetch('https://telemetry.example.com/hit');
        const inlined = "importScripts(\\"https://cdn.example.net/monaco.js\\")";
        fetch('http://127.0.0.1:4000/graphql'); fetch('/graphql'); new Worker(URL.createObjectURL(blob));
      </script></body></html>`;
    expect(externalReferences(bad).map((r) => r.url).sort()).toEqual(
      [
        '//img.example.org/a.png',
        'https://cdn.example.net/graphiql.css',
        'https://cdn.example.net/monaco.js',
        'https://cdn.example.net/worker.js',
        'https://fonts.example.com/inter.css',
        'https://img.example.org/b.png',
        'https://telemetry.example.com/hit',
        'https://unpkg.example/graphiql.js',
      ].sort(),
    );
  });

  it("opens with example operations that are valid against the gateway's schema", async () => {
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ query: getIntrospectionQuery() }),
    });
    const schema = buildClientSchema(((await res.json()) as { data: IntrospectionQuery }).data);
    expect(EXAMPLE_TABS.length).toBeGreaterThanOrEqual(5);
    for (const tab of EXAMPLE_TABS) {
      expect({ query: tab.query, errors: validate(schema, parse(tab.query)).map((e) => e.message) }).toEqual({ query: tab.query, errors: [] });
      if (tab.variables) expect(() => JSON.parse(tab.variables!)).not.toThrow();
    }
    const names = EXAMPLE_TABS.flatMap((t) => parse(t.query).definitions.map((d) => ('name' in d ? d.name?.value : undefined)));
    expect(names).toEqual(expect.arrayContaining(['RegisterProvider', 'ApproveProvider', 'CompleteAudit', 'Pupil']));
    // Every tab's operation is named, and the page carries each of them.
    for (const tab of EXAMPLE_TABS) expect(html).toContain(JSON.stringify(tab.query).slice(1, 60));
  });

  it("keeps Apollo's CSRF prevention for POSTs: GraphiQL's JSON requests pass, a form-like one does not", async () => {
    const json = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json, multipart/mixed', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ data: { __typename: 'Query' } });
    const form = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(form.status).toBe(400);
    expect(await form.text()).toMatch(/CSRF|preflight/i);
  });

  it('is not served when the gateway is started with graphiql: false', async () => {
    const supergraphSdl = readFileSync(join(__dirname, '..', '..', 'schemas', 'supergraph.graphql'), 'utf8');
    const bare = await createGateway({ supergraphSdl, port: 0, logger: pino({ level: 'silent' }), graphiql: false });
    try {
      expect((await fetch(`${bare.url.replace(/\/graphql$/, '')}/graphiql`, { headers: { accept: BROWSER_ACCEPT } })).status).toBe(404);
      expect((await fetch(bare.url, { headers: { accept: BROWSER_ACCEPT } })).status).toBe(401);
    } finally {
      await bare.stop();
    }
  });
});
