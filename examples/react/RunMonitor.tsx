/**
 * A small React page over the matching API: the newest runs, and the chosen run's detail polled
 * until it reaches a terminal status. It uses only the package's public helpers, so it reads the
 * same from another repository (import from '@run-api-contracts/client' and '.../react-query').
 */
import { useState } from 'react';
import type { MatchingQueries } from '../../client/react-query.ts';
import { pollUntilTerminal, TERMINAL_STATUSES } from '../../client/react-query.ts';

export function RunList({ queries, onPick }: { queries: MatchingQueries; onPick: (id: string) => void }) {
  const { data, error, isPending, isError } = queries.useQuery('get', '/v1/matching/runs', {
    params: { query: { limit: 10 } },
  });
  if (isPending) return <p>Loading runs…</p>;
  if (isError) return <p role="alert">{error?.error.message ?? 'The request failed.'}</p>;
  return (
    <ul aria-label="runs">
      {data.data.map((run) => (
        <li key={run.id}>
          <button type="button" onClick={() => onPick(run.id)}>
            {run.id} {run.status}
          </button>
        </li>
      ))}
    </ul>
  );
}

export function RunDetail({ queries, id, intervalMs }: { queries: MatchingQueries; id: string; intervalMs?: number }) {
  const { data, error, isPending, isError } = queries.useQuery(
    'get',
    '/v1/matching/runs/{id}',
    { params: { path: { id } } },
    { refetchInterval: pollUntilTerminal(TERMINAL_STATUSES.matching, intervalMs ? { intervalMs } : {}) },
  );
  if (isPending) return <p>Loading run…</p>;
  if (isError) return <p role="alert">{error?.error.message ?? 'The request failed.'}</p>;
  const done = TERMINAL_STATUSES.matching.includes(data.status);
  return (
    <section aria-label="run">
      <h2>Run {data.id}</h2>
      <p data-status={data.status}>
        {data.status}
        {done ? '' : ' (refreshing)'}
      </p>
      <p>
        {data.rows_matched} of {data.rows_processed} rows matched
      </p>
    </section>
  );
}

export function RunMonitor({ queries }: { queries: MatchingQueries }) {
  const [picked, setPicked] = useState<string | undefined>();
  return (
    <main>
      <h1>Matching runs</h1>
      <RunList queries={queries} onPick={setPicked} />
      {picked ? <RunDetail queries={queries} id={picked} /> : <p>Pick a run.</p>}
    </main>
  );
}
