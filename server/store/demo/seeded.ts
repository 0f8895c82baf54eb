/** One run a demo seeder wrote: its id and status (the API builds the path that reads it). */
export interface SeededRun {
  id: string | number;
  status: string;
}

/** What a demo seeder wrote for one tenant: its key, any header its API needs, its runs. */
export interface SeededTenant<R extends SeededRun = SeededRun> {
  tenant: string;
  apiKey: string;
  headers?: Record<string, string>;
  runs: R[];
}
