/**
 * run-api-mock [--port 4010 --dynamic --seed 7 --verbose | --quiet | --list]
 * run-api-mock --proxy <upstream-url> [--port 4010]
 * (in this repository: npm run mock -- ..., npm run mock:proxy -- <upstream-url>)
 *
 * The CLI over startMock; bin.ts is the executable of the tools package.
 */
import { parseArgs } from 'node:util';
import { describeScenarios, scenarioTable } from './describe.ts';
import { prismLogFormatter } from './log.ts';
import { startProvenanceTap } from './provenance-tap.ts';
import { PRISM_LOG_LEVELS, type PrismLogLevel, type RunningMock, startMock } from './start.ts';

export { type MockOptions, type PrismLogLevel, type RunningMock, startMock } from './start.ts';

const USAGE = `usage: run-api-mock [options]              the Prism mock of all five APIs
       run-api-mock --proxy <url> [options]  Prism's validation proxy in front of a deployment

  --port <n>          port (default 4010, or MOCK_PORT)
  --host <host>       interface (default 127.0.0.1)
  --dynamic           generate bodies from the schemas instead of the named examples
  --seed <s>          make generated bodies repeatable
  --list              print the scenario table (operation, status, example keys) and exit
  --verbose           print Prism's own log (default: one line per request, plus violations)
  --quiet             print nothing per request (Prism at log level silent)
  --log-level <l>     Prism's log level: ${PRISM_LOG_LEVELS.join(', ')}
  --help`;

/** Bad usage: the bin prints the message and the usage, and exits 2 (as run-api-contract does). */
export class MockUsageError extends Error {}

function usage(message: string): never {
  throw new MockUsageError(`${message}\n\n${USAGE}`);
}

/** Starts the mock (or proxy) as the arguments say; resolves once it listens, or to null after --list/--help. */
export async function runMockCli(argv: string[]): Promise<RunningMock | null> {
  let parsed: ReturnType<typeof parseMockArgs>;
  try {
    parsed = parseMockArgs(argv);
  } catch (err) {
    usage((err as Error).message);
  }
  return runParsed(parsed);
}

function parseMockArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      dynamic: { type: 'boolean', default: false },
      seed: { type: 'string' },
      proxy: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      'log-level': { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
}

async function runParsed({ values, positionals }: ReturnType<typeof parseMockArgs>): Promise<RunningMock | null> {
  if (values.help) {
    console.log(USAGE);
    return null;
  }
  if (values.list) {
    console.log(scenarioTable());
    return null;
  }
  const upstream = positionals[0];
  if (values.proxy && !upstream) usage('--proxy needs the upstream URL');
  const port = Number(values.port ?? process.env.MOCK_PORT ?? 4010);
  if (!Number.isInteger(port)) usage(`--port / MOCK_PORT must be a port number, not ${values.port}`);
  const level = values['log-level'] ?? (values.quiet ? 'silent' : undefined);
  if (level !== undefined && !(PRISM_LOG_LEVELS as readonly string[]).includes(level))
    usage(`--log-level must be one of ${PRISM_LOG_LEVELS.join(', ')}`);
  const format = prismLogFormatter();
  // Proxy mode: a tap between Prism and the vendor reports the inferred elements it contradicts.
  const tap = values.proxy && upstream ? await startProvenanceTap(upstream, (line) => console.log(line)) : undefined;
  const mock = await startMock({
    port,
    ...(values.host ? { host: values.host } : {}),
    dynamic: values.dynamic,
    ...(values.seed !== undefined ? { seed: values.seed } : {}),
    ...(tap ? { proxy: tap.url } : {}),
    ...(level ? { logLevel: level as PrismLogLevel } : {}),
    onLog: (line) => {
      const shown = values.verbose || level ? line : format(line);
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
    if (!values.quiet) {
      console.log(describeScenarios());
      console.log("\nRequests (--verbose for Prism's own log, --quiet for none):");
    }
  }
  if (!tap) return mock;
  return { ...mock, close: async () => void (await Promise.all([mock.close(), tap.close()])) };
}
