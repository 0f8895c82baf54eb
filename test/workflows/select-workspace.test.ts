/**
 * X-Workspace-Id in process: the middleware picks one of the caller's workspaces, and a workspace
 * the caller is not a member of fails exactly like a workflow that does not exist.
 */
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, test } from 'vitest';
import { NOT_FOUND } from '../../server/apis/workflows/handlers.ts';
import { selectWorkspace } from '../../server/apis/workflows/select-workspace.ts';
import { Problem } from '../../server/core/problems.ts';
import type { Principal } from '../../server/core/types.ts';

const ALICE: Principal = {
  api: 'workflows',
  tenantId: 'ws_acme_research',
  subject: 'user_demo_alice',
  workspaces: ['ws_acme_research', 'ws_globex_media'],
};

function run(headers: Record<string, string>, principal: Principal | null = ALICE) {
  const req = { headers, principal: principal ?? undefined } as unknown as Request;
  const calls: unknown[][] = [];
  const next = ((...args: unknown[]) => void calls.push(args)) as NextFunction;
  selectWorkspace(req, {} as Response, next);
  return { principal: req.principal, calls };
}

describe('selectWorkspace', () => {
  test('without the header the default workspace stays', () => {
    const { principal, calls } = run({});
    expect(calls).toEqual([[]]);
    expect(principal).toBe(ALICE);
  });

  test('an empty header is the same as none', () => {
    expect(run({ 'x-workspace-id': '' })).toEqual({ principal: ALICE, calls: [[]] });
  });

  test("a member's other workspace becomes the tenant every read is scoped to", () => {
    const { principal, calls } = run({ 'x-workspace-id': 'ws_globex_media' });
    expect(calls).toEqual([[]]);
    expect(principal).toEqual({ ...ALICE, tenantId: 'ws_globex_media' });
  });

  test('a workspace the caller is not a member of is a missing workflow, and the principal is left alone', () => {
    const { principal, calls } = run({ 'x-workspace-id': 'ws_initech' });
    expect(calls).toHaveLength(1);
    const [err] = calls[0] ?? [];
    expect(err).toBeInstanceOf(Problem);
    expect(err).toMatchObject({ kind: 'not_found', status: 404, message: NOT_FOUND.workflow });
    expect(principal).toBe(ALICE);
  });

  test('no principal (the security handler refused): nothing to select', () => {
    expect(run({ 'x-workspace-id': 'ws_globex_media' }, null)).toEqual({ principal: undefined, calls: [[]] });
  });
});
