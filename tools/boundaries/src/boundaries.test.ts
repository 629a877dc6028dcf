import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findCycles, findViolations, readProjects } from './boundaries';

const ROOT = join(__dirname, '..', '..', '..');

describe('the workspace', () => {
  it('tags every project with one type:* and one scope:*', () => {
    const projects = readProjects(ROOT);
    expect(projects.length).toBeGreaterThanOrEqual(17);
    for (const p of projects) {
      expect({ project: p.name, types: p.tags.filter((t) => t.startsWith('type:')).length }).toEqual({ project: p.name, types: 1 });
      expect({ project: p.name, scopes: p.tags.filter((t) => t.startsWith('scope:')).length }).toEqual({ project: p.name, scopes: 1 });
    }
    expect(projects.filter((p) => p.tags.includes('layer:foundation')).map((p) => p.name).sort()).toEqual(['@ap/config', '@ap/domain', '@ap/errors', '@ap/logger']);
    expect(projects.filter((p) => p.tags.includes('type:service')).map((p) => p.name).sort()).toEqual(
      ['@ap/directory', '@ap/outcomes', '@ap/placement', '@ap/referral', '@ap/safeguarding-audit'],
    );
  });

  it('keeps its layering: no forbidden import', () => {
    expect(findViolations(ROOT)).toEqual([]);
  });

  it('has no cycle among its projects’ production code', () => {
    expect(findCycles(ROOT)).toEqual([]);
  });
});

describe('a workspace that breaks the rules (fixture)', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const project = (dir: string, name: string, tags: string[]) => write(`${dir}/package.json`, JSON.stringify({ name, nx: { tags } }));

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'boundaries-'));
    write('package.json', JSON.stringify({ workspaces: ['libs/*', 'services/*', 'gateway'] }));
    project('libs/config', '@ap/config', ['type:lib', 'scope:shared', 'layer:foundation']);
    project('libs/events', '@ap/events', ['type:lib', 'scope:shared']);
    project('libs/subgraph', '@ap/subgraph', ['type:lib', 'scope:subgraph']);
    project('services/referral', '@ap/referral', ['type:service', 'scope:referral']);
    project('services/placement', '@ap/placement', ['type:service', 'scope:placement']);
    project('gateway', '@ap/gateway', ['type:app', 'scope:gateway']);
    project('libs/client', '@ap/client', ['type:lib', 'scope:client']);
    write('libs/client/src/index.ts', `import { setting } from '@ap/config';\n`);
    write('libs/config/src/index.ts', `import { topicFor } from '@ap/events';\n`);
    write('libs/events/src/index.ts', `import { setting } from '@ap/config';\n`);
    write('libs/subgraph/src/index.ts', `import type { Referral } from '@ap/referral';\n`);
    write('services/placement/src/placements.ts', `import { acceptReferral } from '@ap/referral';\nimport { Pupil } from '../../referral/src/entities';\nimport { startService } from '@ap/subgraph';\n`);
    write('services/referral/src/entities.ts', `export class Pupil {}\n`);
    write('gateway/src/server.ts', `import { loadTypeDefs } from '@ap/subgraph';\nimport { logger } from '@ap/config';\n`);
    write('gateway/test/e2e.test.ts', `import { referralService } from '@ap/referral';\n`);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports each forbidden import, with its file and the rule it breaks', () => {
    expect(findViolations(root).sort()).toEqual(
      [
        "libs/client/src/index.ts: imports @ap/config, but the typed client (front ends' code, shipped to browsers) imports nothing of ours",
        'libs/config/src/index.ts: imports @ap/events, but a foundation library (config, logger, errors, domain) imports nothing of ours',
        'libs/subgraph/src/index.ts: imports @ap/referral, but a library never imports a service or the gateway',
        'services/placement/src/placements.ts: imports @ap/referral, but a service never imports another service',
        'services/placement/src/placements.ts: imports @ap/referral, but a service never imports another service',
        "gateway/src/server.ts: imports @ap/subgraph, but the gateway's code never imports the subgraph runtime or a service",
      ].sort(),
    );
  });

  it('finds a cycle between projects', () => {
    expect(findCycles(root)).toEqual([['@ap/config', '@ap/events', '@ap/config']]);
  });
});
