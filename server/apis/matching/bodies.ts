import { APIS } from '../../../generated/apis.ts';
import type { components } from '../../../generated/matching.ts';
import type { RunDetailRow, RunListRow } from '../../store/matching.ts';

type RunDetail = components['schemas']['MatchingRunDetail'];
type RunListItem = components['schemas']['MatchingRunListItem'];
type RunLinks = RunListItem['links'];

const BASE = APIS.matching.basePath;

/** Relative URLs of the run and of its config (the config path is the vendor's; only runs are served here). */
const linksOf = (run: RunListRow): RunLinks => ({
  self: `${BASE}/runs/${run.id}`,
  config: `${BASE}/configs/${run.matching_config_id}`,
});

/** `links` sits after the run's fields, as the vendor answers. */
export const runListItem = (run: RunListRow): RunListItem => ({ ...run, links: linksOf(run) });

/** `links` before `results`, as the vendor answers. */
export function runDetailBody(row: RunDetailRow): RunDetail {
  const { results, ...run } = row;
  return { ...run, links: linksOf(run), results };
}
