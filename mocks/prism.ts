import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { describeScenarios, scenarioTable } from './describe.ts';
import { prismLogFormatter } from './log.ts';
import { startProvenanceTap } from './provenance-tap.ts';
import { startMock } from './start.ts';

export { type MockOptions, type RunningMock, startMock } from './start.ts';

// npm run mock [-- --port 4010 --dynamic --seed 7 --verbose | --list]
// npm run mock:proxy -- <upstream-url> [--port 4010]
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      dynamic: { type: 'boolean', default: false },
      seed: { type: 'string' },
      proxy: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
    },
  });
  if (values.list) {
    console.log(scenarioTable());
    return;
  }
  const upstream = positionals[0];
  const format = prismLogFormatter();
  if (values.proxy && !upstream) throw new Error('usage: npm run mock:proxy -- <upstream-url> [--port 4010]');
  const port = Number(values.port ?? process.env.MOCK_PORT ?? 4010);
  if (!Number.isInteger(port)) throw new Error(`--port / MOCK_PORT must be a port number, not ${values.port}`);
  // Proxy mode: a tap between Prism and the vendor reports the inferred elements it contradicts.
  const tap = values.proxy && upstream ? await startProvenanceTap(upstream, (line) => console.log(line)) : undefined;
  const mock = await startMock({
    port,
    ...(values.host ? { host: values.host } : {}),
    dynamic: values.dynamic,
    ...(values.seed !== undefined ? { seed: values.seed } : {}),
    ...(tap ? { proxy: tap.url } : {}),
    onLog: (line) => {
      const shown = values.verbose ? line : format(line);
      if (shown !== undefined) console.log(shown);
    },
  });
  if (values.proxy) {
    console.log(`Prism validation proxy on ${mock.url} -> ${upstream}`);
    console.log('Every request and response is checked against the five contracts; violations are listed below.');
    console.log(`Point the frontend's API base URL (or its dev-server proxy target) at ${mock.url}.\n`);
  } else {
    const mode = values.dynamic ? `dynamic${values.seed ? `, seed ${values.seed}` : ''}` : 'static (named examples)';
    console.log(`Prism mock of all five APIs on ${mock.url} (${mode})\n`);
    console.log(describeScenarios());
    console.log("\nRequests (--verbose for Prism's own log):");
  }
  const shutdown = () => void Promise.all([mock.close(), tap?.close()]).then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
