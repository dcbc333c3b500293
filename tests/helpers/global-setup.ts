// Filled in by the database test helper; kept so vitest.config.ts resolves.
export default async function setup(): Promise<void> {}
