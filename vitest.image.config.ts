import { defineConfig } from 'vitest/config';

/** `npm run test:image`: the Docker image's layout, assembled without a daemon (tests/image). */
export default defineConfig({
  test: {
    include: ['tests/image/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
