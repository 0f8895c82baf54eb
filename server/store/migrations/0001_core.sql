-- API keys of every API. Only the SHA-256 of a key is stored; the key itself is shown once.
-- `tenant_id` is the organization, workspace, tenant or project the key is bound to.
CREATE TABLE api_keys (
  key_hash   text PRIMARY KEY CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  api        text NOT NULL CHECK (api IN ('telemetry', 'workflows', 'matching', 'taxonomy', 'samples')),
  tenant_id  text NOT NULL,
  subject    text NOT NULL,
  label      text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX api_keys_api_tenant ON api_keys (api, tenant_id);
