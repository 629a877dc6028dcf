import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The compile-time guards, shown failing: fixtures with one deliberate mistake each are type-checked
 * with the workspace's settings (one tsc run for all, to stay quick), and each must fail on its
 * marked line with the expected error, while a correct control file passes.
 */
const ROOT = join(__dirname, '..', '..', '..');

// The directory's other Query fields and Provider's other resolved fields, beside the ones each fixture is about.
const REST = 'searchProviders: () => null as never, localOffer: () => null as never';
const PROVIDER_REST = 'location: () => null, approvalHistory: () => [], offers: () => []';

const FIXTURES: Record<string, string> = {
  // The SDL says provider(id: ID!), a string: a resolver that takes a number does not compile.
  'resolver-argument.ts': `import type { Resolvers } from '../../../services/directory/src/__generated__/resolvers-types';
export const resolvers: Resolvers = {
  Query: {
    provider: (_parent, args: { id: number }) => (args.id > 0 ? null : null), // BROKEN
    providers: () => [],
    ${REST},
  },
};
`,
  // The SDL has Query.providers: a resolver map without it does not compile.
  'missing-resolver.ts': `import type { Resolvers } from '../../../services/directory/src/__generated__/resolvers-types';
export const resolvers: Resolvers = {
  Query: { // BROKEN
    provider: () => null,
    ${REST},
  },
};
`,
  // The SDL's Provider has no openingHours: a resolver for it (a misspelt or removed field) does not compile.
  'stale-resolver.ts': `import type { Resolvers } from '../../../services/directory/src/__generated__/resolvers-types';
export const resolvers: Resolvers = {
  Query: { provider: () => null, providers: () => [], ${REST} },
  Provider: { openingHours: () => null }, // BROKEN
};
`,
  // The entity holds approvedAt as a Date, the SDL serves a DateTime string: without its resolver the map does not compile.
  'unresolved-field.ts': `import type { CompleteResolvers } from '../../../services/directory/src/__generated__/resolvers-types';
export const resolvers: Pick<CompleteResolvers, 'Query' | 'Provider'> = {
  Query: { provider: () => null, providers: () => [], ${REST} },
  Provider: { __resolveReference: () => null, ${PROVIDER_REST} }, // BROKEN
};
`,
  // There is no event type 'provider.deleted' in EventPayloads.
  'unknown-event-handler.ts': `import type { ConsumerDefinition } from '@ap/subgraph';
export const consumer: ConsumerDefinition = {
  from: ['directory'],
  handlers: { 'provider.deleted': async () => undefined }, // BROKEN
};
`,
  // A handler written for referral.accepted's payload, registered for audit.completed.
  'wrong-payload-handler.ts': `import type { EventHandlers, EventOf } from '@ap/events';
const plan = async (event: EventOf<'referral.accepted'>) => void event.payload.referralId;
export const handlers: EventHandlers = { 'audit.completed': plan }; // BROKEN
`,
  // newEvent refuses a type that has no payload in EventPayloads.
  'unknown-event-type.ts': `import { newEvent } from '@ap/events';
export const e = newEvent({ type: 'provider.deleted', producer: 'directory', key: 'k', payload: {} }); // BROKEN
`,
  // The same shapes written correctly compile.
  'control.ts': `import type { EventHandlers, EventOf } from '@ap/events';
import { newEvent } from '@ap/events';
import type { CompleteResolvers } from '../../../services/directory/src/__generated__/resolvers-types';
export const resolvers: Pick<CompleteResolvers, 'Query' | 'Provider'> = {
  Query: { provider: (_parent, args) => (args.id.length > 0 ? null : null), providers: () => [], ${REST} },
  Provider: { approvedAt: (p) => p.approvedAt?.toISOString() ?? null, ${PROVIDER_REST} },
};
const apply = async (event: EventOf<'audit.completed'>) => void event.payload.compliance;
export const handlers: EventHandlers = { 'audit.completed': apply };
export const e = newEvent({ type: 'pupil.registered', producer: 'referral', key: 'k', payload: { pupilId: 'p' } });
`,
};

describe('type-checking refuses', () => {
  let dir: string;
  let errors: { file: string; line: number; code: string; message: string }[];

  beforeAll(() => {
    // Inside the workspace, so that @ap/* and the services' files resolve as they do for the real code.
    dir = mkdtempSync(join(__dirname, '..', '.typecheck-'));
    for (const [file, text] of Object.entries(FIXTURES)) writeFileSync(join(dir, file), text);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../../../tsconfig.base.json', compilerOptions: { noEmit: true, noUnusedLocals: false }, files: Object.keys(FIXTURES) }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], {
      cwd: dir,
      encoding: 'utf8',
    });
    // With the indented lines that follow it: TypeScript names the missing property there.
    errors = [...tsc.stdout.matchAll(/^(\S+\.ts)\((\d+),\d+\): error (TS\d+): (.*(?:\n[ \t]+.*)*)$/gm)].map(([, file, line, code, message]) => ({
      file: file.split('/').pop()!,
      line: Number(line),
      code,
      message,
    }));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const brokenLine = (file: string) => FIXTURES[file].split('\n').findIndex((l) => l.includes('// BROKEN')) + 1;
  const errorsIn = (file: string) => errors.filter((e) => e.file === file);

  it('a resolver whose argument type differs from the SDL', () => {
    expect(errorsIn('resolver-argument.ts')).toEqual([
      expect.objectContaining({ line: brokenLine('resolver-argument.ts'), code: 'TS2322', message: expect.stringMatching(/number/) }),
    ]);
  });

  it('a resolver map missing a Query field of the SDL', () => {
    expect(errorsIn('missing-resolver.ts')).toEqual([
      expect.objectContaining({ line: brokenLine('missing-resolver.ts'), code: 'TS2741', message: expect.stringMatching(/Property 'providers' is missing/) }),
    ]);
  });

  it('a resolver for a field the SDL does not have', () => {
    expect(errorsIn('stale-resolver.ts')).toEqual([
      expect.objectContaining({ line: brokenLine('stale-resolver.ts'), code: 'TS2353', message: expect.stringMatching(/'openingHours' does not exist/) }),
    ]);
  });

  it('a resolver map without a field its entity does not carry as the SDL has it', () => {
    expect(errorsIn('unresolved-field.ts')).toEqual([
      expect.objectContaining({ line: brokenLine('unresolved-field.ts'), message: expect.stringMatching(/approvedAt/) }),
    ]);
  });

  it('a handler for an event type that does not exist', () => {
    expect(errorsIn('unknown-event-handler.ts')).toEqual([
      expect.objectContaining({ line: brokenLine('unknown-event-handler.ts'), code: 'TS2353', message: expect.stringMatching(/provider\.deleted'+ does not exist in type 'EventHandlers'/) }),
    ]);
  });

  it("a handler for another event type's payload", () => {
    expect(errorsIn('wrong-payload-handler.ts')).toEqual([
      expect.objectContaining({ line: brokenLine('wrong-payload-handler.ts'), code: 'TS2322', message: expect.stringMatching(/referral\.accepted|audit\.completed/) }),
    ]);
  });

  it('an event made with a type that does not exist', () => {
    const found = errorsIn('unknown-event-type.ts');
    expect(found.map((e) => e.line)).toEqual(found.map(() => brokenLine('unknown-event-type.ts')));
    expect(found).toContainEqual(expect.objectContaining({ code: 'TS2322', message: expect.stringMatching(/Type '"provider\.deleted"' is not assignable to type 'keyof EventPayloads'/) }));
  });

  it('but not the same code written correctly', () => {
    expect(errorsIn('control.ts')).toEqual([]);
  });
});
