-- taxonomy: generation runs of a tenant. Nullable columns are the API's optional fields (omitted
-- from the JSON when null); source_id '' is the canonical "no source" bucket, never NULL.
CREATE TABLE taxonomy_runs (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       text NOT NULL CHECK (char_length(tenant_id) BETWEEN 1 AND 255),
  field_id        text NOT NULL,
  field_label     text,
  source_id       text NOT NULL DEFAULT '',
  source_type     text NOT NULL,
  status          text NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'canceled')),
  record_count    bigint NOT NULL DEFAULT 0 CHECK (record_count >= 0),
  embedding_count bigint NOT NULL DEFAULT 0 CHECK (embedding_count >= 0),
  cluster_count   bigint NOT NULL DEFAULT 0 CHECK (cluster_count >= 0),
  node_count      bigint NOT NULL DEFAULT 0 CHECK (node_count >= 0),
  -- opaque maps, but the spec declares them objects
  params          jsonb CHECK (params IS NULL OR jsonb_typeof(params) = 'object'),
  metrics         jsonb CHECK (metrics IS NULL OR jsonb_typeof(metrics) = 'object'),
  error           text,
  error_code      text CHECK (error_code IN (
                    'insufficient_data', 'service_unavailable', 'generation_failed', 'invalid_output', 'internal_error')),
  -- millisecond precision: list cursors carry created_at as an ISO string
  started_at      timestamptz(3),
  finished_at     timestamptz(3),
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  updated_at      timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX taxonomy_runs_tenant_list ON taxonomy_runs (tenant_id, created_at DESC, id DESC);
CREATE INDEX taxonomy_runs_tenant_status_list ON taxonomy_runs (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX taxonomy_runs_tenant_field_list ON taxonomy_runs (tenant_id, field_id, created_at DESC, id DESC);
-- both filters at once: a rare status of a busy field must not scan the field's whole history
CREATE INDEX taxonomy_runs_tenant_field_status_list
  ON taxonomy_runs (tenant_id, field_id, status, created_at DESC, id DESC);

-- The lifecycle lives here so that no writer (API, worker, psql) can break it. It fires whenever
-- an UPDATE names status, so "running -> running" is refused as well; updates of counters or
-- metrics that leave status out are not transitions.
CREATE FUNCTION taxonomy_runs_guard_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (
    (OLD.status = 'pending' AND NEW.status IN ('running', 'failed', 'canceled')) OR
    (OLD.status = 'running' AND NEW.status IN ('succeeded', 'failed', 'canceled'))
  ) THEN
    RAISE EXCEPTION 'illegal taxonomy run transition % -> %', OLD.status, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'taxonomy_runs_status_transition';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER taxonomy_runs_status_transition
  BEFORE UPDATE OF status ON taxonomy_runs
  FOR EACH ROW EXECUTE FUNCTION taxonomy_runs_guard_transition();
