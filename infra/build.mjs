// Compiles the processes `npm start` runs (libs, services, gateway) to JavaScript in dist/, so
// the stack runs as plain `node` with no transpiler at run time; tsx stays for development,
// tests and scripts. SWC with the options the tests run under (jest.preset.js). dist/ mirrors
// the source tree, with:
//   - each workspace's package.json, its entry point in .js (src/index.ts → src/index.js);
//   - dist/node_modules/@ap/<name> linked to it, so `@ap/x` resolves inside dist/ (Node looks
//     there first, walking up) and every other package in the repository's node_modules;
//   - the files the code reads beside itself (schema.graphql), and links to infra/ and schemas/
//     (infra/stack.env, schemas/supergraph.graphql, schemas/events/*.json).
// Usage: node infra/build.mjs   (or npm run build); start-all.sh runs it on every start.
import { transformFile } from '@swc/core';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const WORKSPACES = ['libs', 'services'].flatMap((d) => readdirSync(join(root, d)).map((n) => `${d}/${n}`)).concat('gateway');
const SWC = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
  },
  module: { type: 'commonjs' },
  sourceMaps: true,
};

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const started = Date.now();
rmSync(dist, { recursive: true, force: true });
let compiled = 0;
const jobs = [];
for (const ws of WORKSPACES) {
  const pkgFile = join(root, ws, 'package.json');
  if (!existsSync(pkgFile) || !existsSync(join(root, ws, 'src'))) continue;
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  for (const file of files(join(root, ws, 'src'))) {
    const out = join(dist, relative(root, file));
    mkdirSync(dirname(out), { recursive: true });
    if (file.endsWith('.test.ts')) continue;
    if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
      const js = out.replace(/\.ts$/, '.js');
      jobs.push(
        transformFile(file, { ...SWC, filename: file, sourceFileName: relative(dirname(js), file) }).then(({ code, map }) => {
          writeFileSync(js, `${code}\n//# sourceMappingURL=${js.split('/').pop()}.map\n`);
          if (map) writeFileSync(`${js}.map`, map);
          compiled += 1;
        }),
      );
    } else if (!file.endsWith('.ts')) copyFileSync(file, out);
  }
  const main = (pkg.main ?? 'src/index.ts').replace(/\.ts$/, '.js');
  writeFileSync(join(dist, ws, 'package.json'), JSON.stringify({ name: pkg.name, private: true, main }, null, 2));
  const link = join(dist, 'node_modules', pkg.name);
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(relative(dirname(link), join(dist, ws)), link);
}
await Promise.all(jobs);
for (const shared of ['infra', 'schemas']) symlinkSync(join('..', shared), join(dist, shared));
console.log(`build: ${compiled} files compiled to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
