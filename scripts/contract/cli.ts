/**
 * run-api-contract --target http://host:port [options]   (npm run contract -- ... in this repository)
 *
 * Runs the contract checks of scripts/contract/harness.ts against any running deployment (the
 * reference server, a staging server, the Prism mock, a vendor's real API) and prints a report:
 * per operation, requests sent, statuses earned, failures by check and the first failing request
 * as a curl command; `--junit FILE` writes the same as JUnit XML and `--json` prints it as JSON.
 * Resolves to the exit code: 1 when a check fails, 2 on bad usage. bin.ts is the executable.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeFuzz, FUZZ_SEED, type FuzzResult, fuzzOperation } from './generators.ts';
import {
  API_NAMES,
  type ApiName,
  closeAgents,
  formatReport,
  loadApiSpec,
  type Target,
  type TargetTenant,
  totalFailures,
} from './harness.ts';
import { junitXml } from './junit.ts';
import { runContract } from './run.ts';

const USAGE = `usage: run-api-contract --target <url> [options]   (in the repository: npm run contract -- ...)

  --target <url>          base URL of the deployment (required)
  --api <name>            only this API (repeatable): ${API_NAMES.join(', ')}
  --key <api>=<key>       an API key to call <api> with (repeatable; a second key of one API
                          also probes "another tenant's run is a 404"); masked in the report
  --manifest <file>       demo manifest with keys and run ids (npm start writes
                          data/demo-manifest.json; used by default when it exists and no --key is given)
  --param <api>.<name>=<value>
                          a parameter value the keys' data has (e.g. taxonomy.tenant_id=tnt_acme,
                          workflows.workflow_id=<uuid>); ids are otherwise found in list responses
  --mock                  the target is Prism: ask for data-dependent statuses with Prefer: code=
  --burst <n>             send up to n requests with one key to earn a 429 (default: 429 not probed)
  --wait-429 <seconds>    wait out an unexpected 429 up to this Retry-After (default 65; 0: never)
  --fuzz <n>              also send n generated requests per operation (fast-check; mind the rate limit)
  --seed <n>              fuzz seed (default ${FUZZ_SEED})
  --junit <file>          also write the report as JUnit XML (one suite per operation, a case per check)
  --json                  print the report as JSON instead of text (progress goes to stderr)
  --help

Exit code: 0 when every check passes, 1 when one fails, 2 on bad usage.`;

interface Manifest {
  apis: Record<string, { tenants: TargetTenant[] }>;
}

/** Bad usage: the CLI prints the message and the usage, and exits 2. */
class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

function isApi(name: string): name is ApiName {
  return (API_NAMES as readonly string[]).includes(name);
}

/** Where the CLI writes: the process's streams, or a test's buffers. */
export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

const consoleOutput: CliOutput = { log: (l) => console.log(l), error: (l) => console.error(l) };

/** Runs the CLI with these arguments; resolves to its exit code. */
export async function runContractCli(argv: string[], out: CliOutput = consoleOutput): Promise<number> {
  try {
    return await contract(argv, out);
  } catch (error) {
    // parseArgs refuses an unknown or malformed option with ERR_PARSE_ARGS_*: bad usage too.
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      out.error(`${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  } finally {
    closeAgents();
  }
}

async function contract(argv: string[], out: CliOutput): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string' },
      api: { type: 'string', multiple: true },
      key: { type: 'string', multiple: true },
      manifest: { type: 'string' },
      param: { type: 'string', multiple: true },
      mock: { type: 'boolean', default: false },
      burst: { type: 'string' },
      'wait-429': { type: 'string', default: '65' },
      fuzz: { type: 'string', default: '0' },
      seed: { type: 'string', default: String(FUZZ_SEED) },
      junit: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    out.log(USAGE);
    return 0;
  }
  // With --json, stdout carries only the JSON document.
  const say = values.json ? out.error : out.log;
  if (!values.target) fail('--target is required');
  let url: URL;
  try {
    url = new URL(values.target);
  } catch {
    fail(`--target ${values.target} is not a URL`);
  }
  const apis = (values.api ?? [...API_NAMES]).map((a) => (isApi(a) ? a : fail(`unknown API ${a}`)));

  const tenants: Partial<Record<ApiName, TargetTenant[]>> = {};
  const secrets: Record<string, string> = {};
  for (const entry of values.key ?? []) {
    const [api, key] = [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)];
    if (!isApi(api) || !key || !entry.includes('=')) fail(`--key ${entry}: expected <api>=<key>`);
    const list = tenants[api] ?? [];
    list.push({ tenant: `key ${list.length + 1}`, apiKey: key, runs: [], secret: true });
    tenants[api] = list;
    secrets[key] = `$${api.toUpperCase()}_API_KEY${list.length > 1 ? `_${list.length}` : ''}`;
  }
  const manifestPath =
    values.manifest ??
    (!values.key?.length && existsSync('data/demo-manifest.json') ? 'data/demo-manifest.json' : undefined);
  if (manifestPath) {
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    } catch (e) {
      fail(`--manifest ${manifestPath}: ${(e as Error).message}`);
    }
    for (const [api, entry] of Object.entries(manifest.apis ?? {})) {
      if (isApi(api) && !tenants[api]) tenants[api] = entry.tenants;
    }
    say(`keys and run ids from ${manifestPath}`);
  }
  const params: Record<string, string> = {};
  for (const entry of values.param ?? []) {
    const at = entry.indexOf('=');
    if (at < 1 || !entry.slice(0, at).includes('.')) fail(`--param ${entry}: expected <api>.<name>=<value>`);
    params[entry.slice(0, at)] = entry.slice(at + 1);
  }
  const withoutKeys = apis.filter((a) => !tenants[a]?.length);
  if (!values.mock && withoutKeys.length === apis.length)
    fail('no credentials: pass --key <api>=<key> or --manifest <file>');
  if (!values.mock && withoutKeys.length) say(`skipping ${withoutKeys.join(', ')}: no key`);

  const burst = values.burst === undefined ? undefined : Number(values.burst);
  const target: Target = {
    name: url.origin,
    url: url.href.replace(/\/$/, ''),
    tenants: values.mock
      ? Object.fromEntries(apis.map((a) => [a, tenants[a] ?? [{ tenant: 'mock', apiKey: 'mock', runs: [] }]]))
      : tenants,
    mode: values.mock ? 'prefer' : 'data',
    params,
    ...(burst ? { burst } : {}),
    retryOn429: Number(values['wait-429']),
    ...(values.mock
      ? {
          limits: {
            credentials: 'a mock does not verify credentials',
            methodAllow: "Prism's router answers an undeclared method itself",
            emptyQuery: 'Prism takes an empty optional query value for an absent one',
          },
        }
      : {}),
  };

  const report = await runContract(target, { apis });
  say(formatReport(report, secrets));
  let failures = totalFailures(report);

  const runs = Number(values.fuzz);
  const fuzzed: FuzzResult[] = [];
  if (runs > 0) {
    say(`\nFuzz: ${runs} generated requests per operation, seed ${values.seed}`);
    for (const o of report.operations) {
      const spec = loadApiSpec(o.api);
      const op = spec.operations.find((x) => x.operationId === o.operationId);
      if (!op || !o.base) continue;
      const result = await fuzzOperation(target, spec, op, o.base, { runs, seed: Number(values.seed) });
      say(describeFuzz(result));
      fuzzed.push(result);
      failures += result.failures.length;
    }
  }
  if (values.junit) {
    writeFileSync(values.junit, junitXml(report, fuzzed, secrets));
    say(`JUnit report written to ${values.junit}`);
  }
  if (values.json) out.log(mask(JSON.stringify({ ...report, fuzz: fuzzed, failures }, null, 2), secrets));
  return failures ? 1 : 0;
}

/** Keys passed with --key never appear in a printed report. */
function mask(text: string, secrets: Record<string, string>): string {
  let masked = text;
  for (const [secret, name] of Object.entries(secrets)) masked = masked.split(secret).join(name);
  return masked;
}
