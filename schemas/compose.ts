/**
 * Offline composition: reads the subgraph list (schemas/supergraph.yaml: each subgraph's name, URL
 * setting and its one SDL file, services/<name>/src/schema.graphql), composes them with
 * @apollo/composition's composeServices and — run as `npm run compose` — writes
 * schemas/supergraph.graphql, which the gateway starts from, and schemas/api-schema.graphql, the schema
 * clients see (the supergraph without its join__/link__ machinery; GraphQL Code Generator types the
 * typed client, libs/client, from it). compose.test.ts fails when either is stale.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { parse, printSchema } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { SERVICE_NAMES, ServiceName, setting } from '@ap/config';

export const SCHEMAS_DIR = __dirname;
/** The list of subgraphs to compose. */
export const SUBGRAPH_LIST = join(SCHEMAS_DIR, 'supergraph.yaml');

export interface ComposeOptions {
  /** The subgraph list to read; default schemas/supergraph.yaml. */
  list?: string;
}

/** One entry of the list, resolved: its URL read from its setting, its SDL file an absolute path. */
export interface SubgraphEntry {
  name: ServiceName;
  url: string;
  sdlPath: string;
}

export interface Subgraph extends SubgraphEntry {
  sdl: string;
}

export interface Composition {
  subgraphs: Subgraph[];
  supergraphSdl: string;
}

export class CompositionError extends Error {
  override readonly name = 'CompositionError';
}

const shown = (path: string) => relative(process.cwd(), path) || path;
const isServiceName = (name: string): name is ServiceName => (SERVICE_NAMES as readonly string[]).includes(name);

/** `${env.NAME}` (Rover's form) becomes the setting NAME, from the environment or infra/stack.env. */
const expandSettings = (value: string) => value.replace(/\$\{env\.([A-Z0-9_]+)\}/g, (_, name: string) => setting(name));

/** Reads the subgraph list; refuses a name that is not a service's, or an entry without its SDL file. */
export function readSubgraphList(list = SUBGRAPH_LIST): SubgraphEntry[] {
  const doc = parseYaml(readFileSync(list, 'utf8')) as { subgraphs?: Record<string, { routing_url?: string; schema?: { file?: string } }> } | null;
  const entries = Object.entries(doc?.subgraphs ?? {});
  if (entries.length === 0) throw new CompositionError(`${shown(list)} lists no subgraphs`);
  return entries.map(([name, entry]) => {
    if (!isServiceName(name)) throw new CompositionError(`${shown(list)} names a subgraph "${name}", which is not one of ${SERVICE_NAMES.join(', ')}`);
    const file = entry?.schema?.file;
    const url = entry?.routing_url;
    if (!file || !url) throw new CompositionError(`${shown(list)}: subgraph "${name}" needs routing_url and schema.file`);
    return { name, url: expandSettings(url), sdlPath: resolve(dirname(list), file) };
  });
}

/** Reads every listed subgraph's SDL; refuses an incomplete set, naming each missing file. */
export function readSubgraphs({ list = SUBGRAPH_LIST }: ComposeOptions = {}): Subgraph[] {
  const entries = readSubgraphList(list);
  const missing = entries.map((e) => e.sdlPath).filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new CompositionError(
      `Cannot compose: ${missing.length} of ${entries.length} subgraph schemas are missing:\n` +
        missing.map((p) => `  ${shown(p)}`).join('\n') +
        `\nEvery subgraph in ${shown(list)} must have its SDL file before the supergraph can be composed.`,
    );
  }
  return entries.map((e) => ({ ...e, sdl: readFileSync(e.sdlPath, 'utf8') }));
}

/** Composes subgraphs into a supergraph SDL; throws CompositionError listing composition's errors. */
export function composeSubgraphs(subgraphs: Subgraph[]): string {
  const definitions = subgraphs.map(({ name, url, sdl }) => {
    try {
      return { name, url, typeDefs: parse(sdl) };
    } catch (err) {
      throw new CompositionError(`The ${name} subgraph's SDL does not parse: ${(err as Error).message}`);
    }
  });
  const result = composeServices(definitions);
  if (result.errors) {
    throw new CompositionError(`Composition failed with ${result.errors.length} error(s):\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

/** Reads and composes the listed subgraphs (all five by default). */
export function composeSupergraph(options: ComposeOptions = {}): Composition {
  const subgraphs = readSubgraphs(options);
  return { subgraphs, supergraphSdl: composeSubgraphs(subgraphs) };
}

/** The API schema of a supergraph: what a client may query, as the gateway serves it (no join__ or link__ directives). */
export function apiSchemaSdl(supergraphSdl: string): string {
  return printSchema(Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema());
}

/** The files `npm run compose` writes, by file name, with their exact contents. */
export function schemaFiles({ supergraphSdl }: Composition): Map<string, string> {
  return new Map([
    ['supergraph.graphql', `# Composed from the subgraphs in supergraph.yaml by \`npm run compose\` (@apollo/composition): do not edit.\n${supergraphSdl.trimEnd()}\n`],
    ['api-schema.graphql', `# The API schema of supergraph.graphql, what clients see, written by \`npm run compose\`: do not edit.\n${apiSchemaSdl(supergraphSdl).trimEnd()}\n`],
  ]);
}

export function writeSchemas(composition: Composition, outDir = SCHEMAS_DIR): string[] {
  const written: string[] = [];
  for (const [file, content] of schemaFiles(composition)) {
    writeFileSync(join(outDir, file), content);
    written.push(join(outDir, file));
  }
  return written;
}

/**
 * The checked-in schema files that are missing or differ from what composing now gives, each with
 * a reason; empty when up to date. Throws CompositionError when the subgraphs cannot be composed.
 */
export function findStaleSchemas(options: ComposeOptions & { outDir?: string } = {}): string[] {
  const outDir = options.outDir ?? SCHEMAS_DIR;
  const stale: string[] = [];
  for (const [file, content] of schemaFiles(composeSupergraph(options))) {
    const path = join(outDir, file);
    if (!existsSync(path)) stale.push(`${shown(path)} is missing`);
    else if (readFileSync(path, 'utf8') !== content) stale.push(`${shown(path)} differs from what composing the subgraphs gives now`);
  }
  return stale;
}

export function staleMessage(stale: string[]): string {
  return `The checked-in schemas are stale:\n${stale.map((s) => `  - ${s}`).join('\n')}\nRun \`npm run compose\` and commit the result.`;
}

if (require.main === module) {
  try {
    const written = writeSchemas(composeSupergraph());
    process.stdout.write(`Wrote ${written.map(shown).join(', ')}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
