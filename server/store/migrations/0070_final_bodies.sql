-- Bodies of terminal runs as they first left the server (after response validation), so a
-- restarted or second process answers a terminal run with one primary-key read instead of the
-- operation's query. `key` is the final-body cache's (operation, tenant, URL as sent); `version`
-- names the contracts and the code that rendered the body: a row of another version is not read.
CREATE TABLE final_bodies (
  key       text PRIMARY KEY,
  version   text NOT NULL,
  etag      text NOT NULL,
  body      text NOT NULL,
  stored_at timestamptz NOT NULL DEFAULT now()
);
