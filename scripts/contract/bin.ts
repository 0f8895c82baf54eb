#!/usr/bin/env node
// run-api-contract: the executable of the tools package (and `npm run contract`).
import { runContractCli } from './cli.ts';

runContractCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
