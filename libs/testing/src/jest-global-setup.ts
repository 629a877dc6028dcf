/**
 * Jest's globalSetup for every project (jest.preset.js): with a Docker engine, starts PostgreSQL
 * and Kafka containers and hands their settings to the test workers through the environment;
 * without one it changes nothing (the local services, as configured in infra/stack.env).
 */
import { chooseInfrastructure, describeChoice, testConnections, TestConnections } from './infrastructure';

declare global {
  // eslint-disable-next-line no-var
  var __apTestConnections: TestConnections | undefined;
}

export default async function globalSetup(): Promise<void> {
  const choice = await chooseInfrastructure();
  if (choice.kind === 'local') return;
  const connections = await testConnections(choice);
  Object.assign(process.env, connections.env);
  globalThis.__apTestConnections = connections;
  process.stderr.write(`${describeChoice(choice, connections)}\n`);
}
