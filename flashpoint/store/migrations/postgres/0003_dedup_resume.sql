-- flashpoint store, schema version 3, PostgreSQL dialect (in step with ../sqlite/0003_dedup_resume.sql).
-- Resuming deduplication reads only what new articles touch (flashpoint.deduplicate, docs/dedup.md): the
-- articles it has not recorded (those stored when an ingest stopped, and those with errors: few), and the
-- events whose days run from `date` to a later `date_end` (few), so that such a span is found from any day.
-- Writing a cluster marks the mention its series counts (COUNT_FIRST_MENTION) among the rows of that cluster.
CREATE INDEX articles_unrecorded ON articles (ingested_at, id) WHERE content_hash IS NULL;
CREATE INDEX events_date_end ON events (date_end) WHERE date_end IS NOT NULL;
CREATE INDEX event_dyads_cluster ON event_dyads (cluster);
