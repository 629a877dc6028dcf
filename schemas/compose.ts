/**
 * Offline composition: reads each service's SDL (services/<dir>/src/schema.graphql), composes
 * them with @apollo/composition's composeServices, and — run as `npm run compose` — writes
 * schemas/<name>.graphql (a copy of each subgraph's SDL) and schemas/supergraph.graphql, which
 * the gateway starts from. compose.test.ts fails when those files are stale.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { serviceConfig, ServiceName } from '@ap/config';

const REPO_ROOT = join(__dirname, '..');
export const DEFAULT_SERVICES_ROOT = join(REPO_ROOT, 'services');
export const SCHEMAS_DIR = __dirname;

/** Subgraph name → folder under services/. */
export const SERVICE_DIRS: Readonly<Record<ServiceName, string>> = {
  directory: 'directory',
  referral: 'referral',
  placement: 'placement',
  safeguarding: 'safeguarding-audit',
  outcomes: 'outcomes',
};

export interface ComposeOptions {
  /** Folder holding <dir>/src/schema.graphql for each service; default services/. */
  servicesRoot?: string;
  /** Which subgraphs, and their folders; default SERVICE_DIRS (all five). */
  services?: Partial<Record<ServiceName, string>>;
}

export interface Subgraph {
  name: ServiceName;
  sdl: string;
}

export interface Composition {
  subgraphs: Subgraph[];
  supergraphSdl: string;
}

export class CompositionError extends Error {
  override readonly name = 'CompositionError';
}

const schemaPath = (root: string, dir: string) => join(root, dir, 'src', 'schema.graphql');
const shown = (path: string) => relative(process.cwd(), path) || path;

/** Reads every service's SDL; refuses an incomplete set, naming each missing file. */
export function readSubgraphs({ servicesRoot = DEFAULT_SERVICES_ROOT, services = SERVICE_DIRS }: ComposeOptions = {}): Subgraph[] {
  const entries = Object.entries(services) as [ServiceName, string][];
  const missing = entries.map(([, dir]) => schemaPath(servicesRoot, dir)).filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new CompositionError(
      `Cannot compose: ${missing.length} of ${entries.length} subgraph schemas are missing:\n` +
        missing.map((p) => `  ${shown(p)}`).join('\n') +
        '\nEvery service must have its src/schema.graphql before the supergraph can be composed.',
    );
  }
  return entries.map(([name, dir]) => ({ name, sdl: readFileSync(schemaPath(servicesRoot, dir), 'utf8') }));
}

/** Composes subgraphs into a supergraph SDL; throws CompositionError listing composition's errors. */
export function composeSubgraphs(subgraphs: Subgraph[]): string {
  const definitions = subgraphs.map(({ name, sdl }) => {
    try {
      return { name, url: serviceConfig(name).url, typeDefs: parse(sdl) };
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

/** Reads and composes the services' SDL (all five by default). */
export function composeSupergraph(options: ComposeOptions = {}): Composition {
  const subgraphs = readSubgraphs(options);
  return { subgraphs, supergraphSdl: composeSubgraphs(subgraphs) };
}

/** The files `npm run compose` writes, by file name, with their exact contents. */
export function schemaFiles({ subgraphs, supergraphSdl }: Composition, services: Partial<Record<ServiceName, string>> = SERVICE_DIRS): Map<string, string> {
  const files = new Map<string, string>();
  for (const { name, sdl } of subgraphs) {
    files.set(`${name}.graphql`, `# Copy of services/${services[name] ?? name}/src/schema.graphql, written by \`npm run compose\`: do not edit.\n${sdl.trimEnd()}\n`);
  }
  files.set('supergraph.graphql', `# Composed from the subgraphs by \`npm run compose\` (@apollo/composition): do not edit.\n${supergraphSdl.trimEnd()}\n`);
  return files;
}

export function writeSchemas(composition: Composition, outDir = SCHEMAS_DIR, services?: Partial<Record<ServiceName, string>>): string[] {
  const written: string[] = [];
  for (const [file, content] of schemaFiles(composition, services)) {
    writeFileSync(join(outDir, file), content);
    written.push(join(outDir, file));
  }
  return written;
}

/**
 * The checked-in schema files that are missing or differ from what composing now gives, each with
 * a reason; empty when up to date. Throws CompositionError when the services cannot be composed.
 */
export function findStaleSchemas(options: ComposeOptions & { outDir?: string } = {}): string[] {
  const outDir = options.outDir ?? SCHEMAS_DIR;
  const stale: string[] = [];
  for (const [file, content] of schemaFiles(composeSupergraph(options), options.services)) {
    const path = join(outDir, file);
    if (!existsSync(path)) stale.push(`${shown(path)} is missing`);
    else if (readFileSync(path, 'utf8') !== content) stale.push(`${shown(path)} differs from what composing the services gives now`);
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
