import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { EventEnvelope } from './envelope';

/** The contracts every service is checked against: schemas/events/<type>.v<version>.json. */
export const CONTRACTS_DIR = join(__dirname, '..', '..', '..', 'schemas', 'events');

const CONTRACT_FILE = /^(.+)\.v(\d+)\.json$/;

export type ContractCheck = { ok: true } | { ok: false; errors: string[] };

export class ContractError extends Error {
  constructor(
    readonly eventType: string,
    readonly errors: string[],
    readonly version?: number,
  ) {
    super(`Event ${eventType}${version === undefined ? '' : ` v${version}`} breaks its contract: ${errors.join('; ')}`);
    this.name = 'ContractError';
  }
}

interface Contracts {
  envelope: ValidateFunction;
  payloads: Map<string, ValidateFunction>;
}

let loaded: Contracts | undefined;

/** Compiled once per process: compiling schemas costs far more than checking an event. */
function contracts(): Contracts {
  if (loaded) return loaded;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const read = (file: string) => JSON.parse(readFileSync(join(CONTRACTS_DIR, file), 'utf8'));
  const payloads = new Map<string, ValidateFunction>();
  for (const file of readdirSync(CONTRACTS_DIR).sort()) {
    const match = CONTRACT_FILE.exec(file);
    if (match) payloads.set(contractName(match[1], Number(match[2])), ajv.compile(read(file)));
  }
  loaded = { envelope: ajv.compile(read('envelope.json')), payloads };
  return loaded;
}

const contractName = (type: string, version: number) => `${type}.v${version}`;

/** The event types and versions that have a contract, e.g. 'referral.accepted.v1'. */
export function knownContracts(): string[] {
  return [...contracts().payloads.keys()];
}

function describe(errors: ErrorObject[] | null | undefined, prefix: string): string[] {
  return (errors ?? []).map((e) => {
    const where = `${prefix}${e.instancePath}` || '/';
    const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
    return `${where} ${e.message ?? 'is invalid'}${extra}`;
  });
}

/** Checks the envelope's shape only; a consumer uses it to skip types it does not handle. */
export function validateEnvelope(envelope: unknown): ContractCheck {
  const { envelope: check } = contracts();
  return check(envelope) ? { ok: true } : { ok: false, errors: describe(check.errors, 'envelope') };
}

export function validateEvent(envelope: unknown): ContractCheck {
  const shape = validateEnvelope(envelope);
  if (!shape.ok) return shape;
  const { type, version, payload } = envelope as EventEnvelope;
  const check = contracts().payloads.get(contractName(type, version));
  if (!check) return { ok: false, errors: [`no contract for ${type} v${version} in schemas/events`] };
  return check(payload) ? { ok: true } : { ok: false, errors: describe(check.errors, 'payload') };
}

export function assertValidEvent(envelope: unknown): asserts envelope is EventEnvelope {
  const result = validateEvent(envelope);
  if (!result.ok) {
    const { type, version } = (envelope ?? {}) as { type?: unknown; version?: unknown };
    throw new ContractError(
      typeof type === 'string' ? type : '(no type)',
      result.errors,
      typeof version === 'number' ? version : undefined,
    );
  }
}
