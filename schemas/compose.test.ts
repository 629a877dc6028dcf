import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NAMES } from '@ap/config';
import { ComposeOptions, composeSupergraph, CompositionError, findStaleSchemas, readSubgraphList, schemaFiles, staleMessage, writeSchemas } from './compose';

const DIRECTORY = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { school(urn: ID!): School }
type School @key(fields: "urn") { urn: ID! name: String! }
`;
const REFERRAL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { referrals: [Referral!]! }
type Referral @key(fields: "id") { id: ID! school: School! }
type School @key(fields: "urn", resolvable: false) { urn: ID! }
`;

describe('composition (fixture)', () => {
  let root: string;
  let options: ComposeOptions & { outDir: string };
  const write = (dir: string, sdl: string) => {
    mkdirSync(join(root, 'services', dir, 'src'), { recursive: true });
    writeFileSync(join(root, 'services', dir, 'src', 'schema.graphql'), sdl);
  };
  const writeList = (entries: Record<string, string>) =>
    writeFileSync(
      join(root, 'schemas', 'supergraph.yaml'),
      'subgraphs:\n' +
        Object.entries(entries)
          .map(([name, dir]) => `  ${name}:\n    routing_url: \${env.${name.toUpperCase()}_URL}\n    schema:\n      file: ../services/${dir}/src/schema.graphql\n`)
          .join(''),
    );

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'compose-'));
    mkdirSync(join(root, 'out'));
    mkdirSync(join(root, 'schemas'));
    options = { list: join(root, 'schemas', 'supergraph.yaml'), outDir: join(root, 'out') };
    writeList({ directory: 'directory', referral: 'referral-svc' });
    write('directory', DIRECTORY);
    write('referral-svc', REFERRAL);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('composes the subgraphs into a supergraph', () => {
    const { subgraphs, supergraphSdl } = composeSupergraph(options);
    expect(subgraphs.map((s) => s.name)).toEqual(['directory', 'referral']);
    expect(supergraphSdl).toMatch(/join__graph\(name: "directory", url: "http:\/\/127\.0\.0\.1:4001\/graphql"\)/);
    expect(supergraphSdl).toMatch(/type Referral/);
  });

  it('reports missing and stale files, and nothing once written', () => {
    expect(findStaleSchemas(options)).toEqual([expect.stringMatching(/supergraph\.graphql is missing/), expect.stringMatching(/api-schema\.graphql is missing/)]);
    writeSchemas(composeSupergraph(options), options.outDir);
    expect(findStaleSchemas(options)).toEqual([]);
    write('directory', DIRECTORY.replace('name: String!', 'name: String!\n  phase: String'));
    const stale = findStaleSchemas(options);
    expect(stale).toEqual([expect.stringMatching(/supergraph\.graphql differs/), expect.stringMatching(/api-schema\.graphql differs/)]);
    expect(staleMessage(stale)).toMatch(/Run `npm run compose`/);
  });

  it("writes the API schema clients see: the supergraph's types, none of its join__ machinery", () => {
    const [, api] = [...schemaFiles(composeSupergraph(options)).entries()].find(([file]) => file === 'api-schema.graphql')!;
    expect(api).toMatch(/type Referral \{\n  id: ID!\n  school: School!\n\}/);
    expect(api).not.toMatch(/join__|link__|@key/);
  });

  it('names every missing service schema', () => {
    rmSync(join(root, 'services', 'referral-svc'), { recursive: true });
    expect(() => composeSupergraph(options)).toThrow(CompositionError);
    expect(() => composeSupergraph(options)).toThrow(/1 of 2 subgraph schemas are missing:\n.*referral-svc\/src\/schema\.graphql/);
  });

  it('refuses a subgraph name that is not a service', () => {
    writeList({ directory: 'directory', safeguarding: 'referral-svc' });
    expect(() => composeSupergraph(options)).toThrow(/names a subgraph "safeguarding", which is not one of .*safeguarding-audit/);
  });

  it("throws with composition's error messages", () => {
    write('referral-svc', REFERRAL.replace('urn: ID! }', 'urn: Int! }'));
    expect(() => composeSupergraph(options)).toThrow(/Composition failed with \d+ error\(s\):\n.*School\.urn/);
  });
});

describe('schemas/supergraph.yaml', () => {
  it('lists every service once, by its one name, with its own SDL file and URL setting', () => {
    const entries = readSubgraphList();
    expect(entries.map((e) => e.name)).toEqual([...SERVICE_NAMES]);
    for (const e of entries) expect(e.sdlPath).toBe(join(__dirname, '..', 'services', e.name, 'src', 'schema.graphql'));
  });
});

describe('schemas/supergraph.graphql and api-schema.graphql', () => {
  it('is up to date with services/*/src/schema.graphql', () => {
    const stale = findStaleSchemas();
    if (stale.length > 0) throw new Error(staleMessage(stale));
  });
});
