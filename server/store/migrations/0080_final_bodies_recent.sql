-- The newest bodies of a version first, a page at a time: what a starting server loads into
-- memory (FinalBodyCache.preload), without sorting the whole table for every page.
CREATE INDEX final_bodies_recent ON final_bodies (version, stored_at DESC, key DESC);
