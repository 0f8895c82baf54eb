import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { workflowsApi } from '../../server/apis/workflows/index.ts';
import { demoUuid, demoWorkflowId } from '../../server/store/demo/workflows.ts';
import { bearer, startTestServer, TEST_JWT_SECRET, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';

const spec = specValidator('workflows');
const OP = 'workflowsListRuns';
const WF_A = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

let server: TestServer;
let alice: Record<string, string>;
let bob: Record<string, string>;
let wfB: string;
let demoA: Array<{ id: string | number; status: string }>;

type Page = { data: Array<{ id: string; status: string }>; meta: { request_id: string; next_cursor: string | null } };

beforeAll(async () => {
  server = await startTestServer({ apis: [workflowsApi], rateLimit: { limit: 10_000 } });
  const [a, b] = server.demo.workflows ?? [];
  alice = bearer(a?.apiKey ?? '');
  bob = bearer(b?.apiKey ?? '');
  demoA = a?.runs ?? [];
  wfB = demoWorkflowId(b?.tenant ?? '') ?? '';
});
afterAll(() => server.close());

async function list(wf: string, query = '', headers = alice) {
  const res = await server.get(`/api/v1/workflows/${wf}/runs${query}`, headers);
  const body = (await res.json()) as Page;
  expect(spec.validate(OP, res.status, body).errors).toBe('No errors');
  return { res, body };
}

async function allPages(wf: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const { res, body } = await list(wf, `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    pages.push(body.data.map((r) => r.id));
    cursor = body.meta.next_cursor;
  } while (cursor);
  return pages;
}

describe('workflows run list', () => {
  test('pages newest first with a cursor until next_cursor is null', async () => {
    const pages = await allPages(WF_A, 2);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    // The demo creates runs oldest first in this order.
    expect(pages.flat()).toEqual(demoA.map((r) => String(r.id)).reverse());
  });

  test('a cursor stays valid and stable when newer runs arrive', async () => {
    const workflow = await newWorkflow('stable');
    await addRuns(workflow, 3, '2024-05-01T00:00:00.000Z');
    const first = await list(workflow, '?limit=2');
    const cursor = first.body.meta.next_cursor ?? '';
    await addRuns(workflow, 2, '2030-01-01T00:00:00.000Z', 'late');
    const second = await list(workflow, `?limit=2&cursor=${cursor}`);
    const again = await list(workflow, `?limit=2&cursor=${cursor}`);
    expect(second.body.data.map((r) => r.id)).toEqual(again.body.data.map((r) => r.id));
    expect(second.body.data).toHaveLength(1);
    expect(second.body.meta.next_cursor).toBeNull();
  });

  test('runs created in the same millisecond are ordered by id and none is skipped or repeated', async () => {
    const workflow = await newWorkflow('ties');
    const ids = await addRuns(workflow, 23, '2024-06-01T12:00:00.000Z');
    const pages = await allPages(workflow, 5);
    expect(pages.flat()).toEqual([...ids].sort().reverse());
  });

  test('limit defaults to 20 and accepts 100', async () => {
    const workflow = await newWorkflow('ties-default');
    await addRuns(workflow, 21, '2024-07-01T00:00:00.000Z');
    const byDefault = await list(workflow);
    expect(byDefault.body.data).toHaveLength(20);
    expect(byDefault.body.meta.next_cursor).not.toBeNull();
    const max = await list(workflow, '?limit=100');
    expect(max.body.data).toHaveLength(21);
    expect(max.body.meta.next_cursor).toBeNull();
  });

  test('seeding the demo again writes nothing twice', async () => {
    const again = await workflowsApi.seedDemo(server.store.db);
    expect(again).toEqual(server.demo.workflows);
    const { body } = await list(WF_A, '?limit=100');
    expect(body.data.filter((r) => demoA.some((d) => d.id === r.id))).toHaveLength(5);
  });

  test('status keeps only runs in that status', async () => {
    const { body } = await list(WF_A, '?status=failed');
    expect(body.data.map((r) => r.status)).toEqual(['failed']);
  });

  test('a workflow without runs answers an empty page', async () => {
    const workflow = await newWorkflow('empty');
    const { res, body } = await list(workflow);
    expect(res.status).toBe(200);
    expect(body.data).toEqual([]);
    expect(body.meta.next_cursor).toBeNull();
  });

  test('meta.request_id equals the X-Request-Id header', async () => {
    const { res, body } = await list(WF_A, '?limit=1');
    expect(body.meta.request_id).toBe(res.headers.get('x-request-id'));
  });

  test("another workspace's workflow answers byte for byte like a missing one", async () => {
    const foreign = await server.get(`/api/v1/workflows/${wfB}/runs`, alice);
    const missing = await server.get(`/api/v1/workflows/00000000-0000-4000-8000-000000000000/runs`, alice);
    expect([foreign.status, missing.status]).toEqual([404, 404]);
    const text = await foreign.text();
    expect(text).toBe(await missing.text());
    expect(spec.validate(OP, 404, JSON.parse(text)).errors).toBe('No errors');
  });

  test('X-Workspace-Id lists another of the caller’s workspaces; a foreign one is a 404', async () => {
    const inB = await list(wfB, '', { ...(await aliceJwt()), 'x-workspace-id': 'ws_globex_media' });
    expect(inB.res.status).toBe(200);
    expect(inB.body.data).toHaveLength(5);
    const foreign = await list(WF_A, '', { ...bob, 'x-workspace-id': 'ws_acme_research' });
    expect(foreign.res.status).toBe(404);
    expect(foreign.body).toEqual({ detail: 'Workflow not found' });
  });
});

describe('workflows run list: invalid input is a 422 in FastAPI shape', () => {
  const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

  test.each([
    ['?limit=101', ['query', 'limit'], 'less_than_equal', 'Input should be less than or equal to 100'],
    ['?limit=0', ['query', 'limit'], 'greater_than_equal', 'Input should be greater than or equal to 1'],
    [
      '?limit=ten',
      ['query', 'limit'],
      'int_parsing',
      'Input should be a valid integer, unable to parse string as an integer',
    ],
    [
      '?status=done',
      ['query', 'status'],
      'enum',
      "Input should be 'queued', 'running', 'completed', 'failed' or 'cancelled'",
    ],
    ['?cursor=not-a-cursor', ['query', 'cursor'], 'value_error', 'Value error, cursor is malformed or unknown'],
    [
      `?cursor=${encode(['2024-01-01T00:00:00.000Z', 'not-a-uuid'])}`,
      ['query', 'cursor'],
      'value_error',
      'Value error, cursor is malformed or unknown',
    ],
    [
      `?cursor=${encode(['Tue Mar 10 2026', '00000000-0000-4000-8000-000000000000'])}`,
      ['query', 'cursor'],
      'value_error',
      'Value error, cursor is malformed or unknown',
    ],
    [`?cursor=${'x'.repeat(513)}`, ['query', 'cursor'], 'string_too_long', 'String should have at most 512 characters'],
    ['?page=2', ['query', 'page'], 'extra_forbidden', 'Extra inputs are not permitted'],
  ])('%s', async (query, loc, type, msg) => {
    const { res, body } = await list(WF_A, query);
    expect(res.status).toBe(422);
    expect((body as unknown as { detail: unknown[] }).detail[0]).toEqual({ loc, msg, type });
  });

  test('a malformed workflow_id is a 422 on the path', async () => {
    const { res, body } = await list('nope');
    expect(res.status).toBe(422);
    expect((body as unknown as { detail: Array<{ loc: unknown }> }).detail[0]?.loc).toEqual(['path', 'workflow_id']);
  });
});

async function newWorkflow(name: string): Promise<string> {
  const id = demoUuid(`test:workflow:${name}`);
  await server.store.db.query(
    `INSERT INTO workflows (id, workspace_id, name, definition) VALUES ($1, 'ws_acme_research', $2, '{"version":"1","steps":[]}')`,
    [id, name],
  );
  return id;
}

async function addRuns(workflow: string, n: number, createdAt: string, tag = ''): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = demoUuid(`test:run:${workflow}:${tag}:${i}`);
    ids.push(id);
    await server.store.db.query(
      `INSERT INTO workflows_runs (id, workflow_id, workspace_id, status, definition, created_at)
       VALUES ($1, $2, 'ws_acme_research', 'queued', '{"version":"1","steps":[]}', $3)`,
      [id, workflow, createdAt],
    );
  }
  return ids;
}

/** Alice signed in (a JWT): a user picks among all her workspaces, a live key only its own. */
async function aliceJwt(): Promise<Record<string, string>> {
  const token = await new SignJWT({ sub: 'user_demo_alice' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
  return bearer(token);
}
