#!/usr/bin/env node
// run-api-mock: the executable of the tools package (and `npm run mock`).
import { MockUsageError, runMockCli } from './prism.ts';

runMockCli(process.argv.slice(2)).then(
  (mock) => {
    if (!mock) return;
    const shutdown = () => void mock.close().then(() => process.exit(0));
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(error instanceof MockUsageError ? 2 : 1);
  },
);
