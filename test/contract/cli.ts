/**
 * npm run contract -- --target http://host:port [options]
 *
 * Runs the contract checks of test/contract/harness.ts against any running deployment (the
 * reference server, a staging server, the Prism mock, a vendor's real API) and prints a report:
 * per operation, requests sent, statuses earned, failures by check and the first failing request
 * as a curl command. Exits 1 when a check fails, 2 on bad usage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeFuzz, FUZZ_SEED, fuzzOperation } from './generators.ts';
import {
  API_NAMES,
  type ApiName,
  closeAgents,
  formatReport,
  loadApiSpec,
  runContract,
  type Target,
  type TargetTenant,
  totalFailures,
} from './harness.ts';

const USAGE = `usage: npm run contract -- --target <url> [options]

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
  --help`;

interface Manifest {
  apis: Record<string, { tenants: TargetTenant[] }>;
}

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function isApi(name: string): name is ApiName {
  return (API_NAMES as string[]).includes(name);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
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
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
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
    console.log(`keys and run ids from ${manifestPath}`);
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
  if (!values.mock && withoutKeys.length) console.log(`skipping ${withoutKeys.join(', ')}: no key`);

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
  console.log(formatReport(report, secrets));
  let failures = totalFailures(report);

  const runs = Number(values.fuzz);
  if (runs > 0) {
    console.log(`\nFuzz: ${runs} generated requests per operation, seed ${values.seed}`);
    for (const o of report.operations) {
      const spec = loadApiSpec(o.api);
      const op = spec.operations.find((x) => x.operationId === o.operationId);
      if (!op || !o.base) continue;
      const result = await fuzzOperation(target, spec, op, o.base, { runs, seed: Number(values.seed) });
      console.log(describeFuzz(result));
      failures += result.failures.length;
    }
  }
  closeAgents();
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
