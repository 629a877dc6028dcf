/**
 * The workspace's layering, read from the code: every project (a folder with a package.json under
 * the root package.json's workspaces), its Nx tags (package.json "nx.tags") and what each of its
 * .ts files imports (`@ap/<name>`, or a relative path into another project). RULES say, by tag,
 * which imports are forbidden; findViolations lists every import that breaks one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface Project {
  name: string;
  /** Folder relative to the workspace root, with '/' separators. */
  root: string;
  tags: string[];
}

export interface Import {
  /** File relative to the workspace root. */
  file: string;
  /** The project imported. */
  target: string;
  /** False for tests (*.test.ts, test/ folders) and their helpers. */
  production: boolean;
}

export interface Rule {
  name: string;
  /** Projects the rule applies to, by tag. */
  from: string;
  /** Only the project's production files (the app's src, not its e2e tests). */
  productionOnly?: boolean;
  forbids(target: Project): boolean;
}

export const RULES: Rule[] = [
  { name: 'a foundation library (config, logger, errors, domain) imports nothing of ours', from: 'layer:foundation', forbids: () => true },
  {
    name: "the typed client (front ends' code, shipped to browsers) imports nothing of ours",
    from: 'scope:client',
    forbids: () => true,
  },
  { name: 'a service never imports another service', from: 'type:service', forbids: (t) => t.tags.includes('type:service') },
  { name: 'a library never imports a service or the gateway', from: 'type:lib', forbids: (t) => t.tags.includes('type:service') || t.tags.includes('type:app') },
  {
    name: "the gateway's code never imports the subgraph runtime or a service",
    from: 'type:app',
    productionOnly: true,
    forbids: (t) => t.tags.includes('scope:subgraph') || t.tags.includes('type:service'),
  },
];

const posix = (p: string) => p.split(sep).join('/');

function globDirs(root: string, pattern: string): string[] {
  if (!pattern.endsWith('/*')) return [pattern];
  const parent = join(root, pattern.slice(0, -2));
  if (!existsSync(parent)) return [];
  return readdirSync(parent)
    .map((d) => posix(join(pattern.slice(0, -2), d)))
    .filter((d) => statSync(join(root, d)).isDirectory());
}

export function readProjects(root: string): Project[] {
  const workspaces: string[] = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces ?? [];
  return workspaces
    .flatMap((w) => globDirs(root, w))
    .filter((d) => existsSync(join(root, d, 'package.json')))
    .map((d) => {
      const pkg = JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8'));
      return { name: pkg.name as string, root: d, tags: (pkg.nx?.tags as string[] | undefined) ?? [] };
    });
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name.startsWith('.')) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

const isTestFile = (rel: string) => /\.test\.ts$/.test(rel) || /(^|\/)test\//.test(rel) || /\.faults\.ts$/.test(rel);

/** Every import from one project into another, found in the projects' .ts files. */
export function readImports(root: string, projects: Project[]): Map<string, Import[]> {
  const byName = new Map(projects.map((p) => [p.name, p]));
  const owner = (abs: string) => projects.find((p) => posix(relative(join(root, p.root), abs)).split('/')[0] !== '..');
  const out = new Map<string, Import[]>(projects.map((p) => [p.name, []]));
  for (const project of projects) {
    for (const file of tsFiles(join(root, project.root))) {
      const text = readFileSync(file, 'utf8');
      const rel = posix(relative(root, file));
      for (const [, spec] of text.matchAll(SPECIFIER)) {
        let target: string | undefined;
        if (spec.startsWith('@ap/')) target = byName.get(spec.split('/').slice(0, 2).join('/'))?.name;
        else if (spec.startsWith('.')) target = owner(resolve(dirname(file), spec))?.name;
        if (target && target !== project.name) {
          out.get(project.name)!.push({ file: rel, target, production: !isTestFile(posix(relative(join(root, project.root), file))) });
        }
      }
    }
  }
  return out;
}

/** Each forbidden import, as "file: imports target (rule)". */
export function findViolations(root: string, rules: Rule[] = RULES): string[] {
  const projects = readProjects(root);
  const byName = new Map(projects.map((p) => [p.name, p]));
  const imports = readImports(root, projects);
  const violations: string[] = [];
  for (const project of projects) {
    for (const rule of rules.filter((r) => project.tags.includes(r.from))) {
      for (const imp of imports.get(project.name)!) {
        if (rule.productionOnly && !imp.production) continue;
        if (rule.forbids(byName.get(imp.target)!)) violations.push(`${imp.file}: imports ${imp.target}, but ${rule.name}`);
      }
    }
  }
  return violations;
}

/** Cycles among the projects' production imports (tests may reach back, e.g. into @ap/testing). */
export function findCycles(root: string): string[][] {
  const projects = readProjects(root);
  const imports = readImports(root, projects);
  const edges = new Map(projects.map((p) => [p.name, [...new Set(imports.get(p.name)!.filter((i) => i.production).map((i) => i.target))]]));
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'open') {
      cycles.push([...path.slice(path.indexOf(name)), name]);
      return;
    }
    state.set(name, 'open');
    for (const next of edges.get(name) ?? []) visit(next, [...path, name]);
    state.set(name, 'done');
  };
  for (const p of projects) visit(p.name, []);
  return cycles;
}
