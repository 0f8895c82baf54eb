-- matching: configs (with the confidence threshold), the runs they trigger, and one result per
-- source document. rows_matched, avg_confidence and the top 50 are computed from the results.
-- numeric, not float: a confidence exactly at the threshold must compare equal.
CREATE TABLE matching_configs (
  id           uuid PRIMARY KEY,
  workspace_id text NOT NULL,
  name         text NOT NULL,
  threshold    numeric NOT NULL CHECK (threshold >= 0 AND threshold <= 1),
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  -- target of the runs' composite key: a run can only use a config of its own workspace
  UNIQUE (workspace_id, id)
);

CREATE TABLE matching_runs (
  id                 uuid PRIMARY KEY,
  workspace_id       text NOT NULL,
  matching_config_id uuid NOT NULL,
  status             text NOT NULL
                     CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled', 'ai_resolving')),
  triggered_by       text NOT NULL CHECK (char_length(triggered_by) <= 100),
  -- progress counter; null exactly while queued, so every counter of a run is null or none is
  rows_processed     integer CHECK (rows_processed >= 0),
  started_at         timestamptz,
  completed_at       timestamptz,
  error              text,
  -- millisecond precision: list cursors carry created_at as an ISO string
  created_at         timestamptz(3) NOT NULL DEFAULT now(),
  FOREIGN KEY (workspace_id, matching_config_id) REFERENCES matching_configs (workspace_id, id),
  CHECK ((status = 'queued') = (rows_processed IS NULL)),
  CHECK (error IS NULL OR status = 'failed')
);
CREATE INDEX matching_runs_workspace_list ON matching_runs (workspace_id, created_at DESC, id DESC);
CREATE INDEX matching_runs_workspace_status_list ON matching_runs (workspace_id, status, created_at DESC, id DESC);
CREATE INDEX matching_runs_workspace_config_list
  ON matching_runs (workspace_id, matching_config_id, created_at DESC, id DESC);

CREATE TABLE matching_results (
  id                       uuid PRIMARY KEY,
  run_id                   uuid NOT NULL REFERENCES matching_runs (id) ON DELETE CASCADE,
  -- the vendor sends non-UUID document ids ("doc_uuid_1")
  document_id              text NOT NULL,
  document_filename        text,
  matched_reference_row_id text,
  confidence               numeric NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  status                   text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  evidence                 jsonb CHECK (evidence IS NULL OR jsonb_typeof(evidence) = 'object')
);
-- Serves the top 50 (first 50 entries of the run) and, with confidence in the key, the
-- count/mean over confidence >= threshold as an index-only range scan.
CREATE INDEX matching_results_run_confidence ON matching_results (run_id, confidence DESC, id);
