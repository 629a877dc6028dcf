/** Stops the containers jest-global-setup.ts started, if any. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__apTestConnections?.stop();
}
