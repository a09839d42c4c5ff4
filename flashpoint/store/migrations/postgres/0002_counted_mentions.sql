-- flashpoint store, schema version 2, PostgreSQL dialect (in step with ../sqlite/0002_counted_mentions.sql).
-- A real-world event reported by several articles is one event cluster; its series counts it once, through
-- one mention (the first stored): the others' event_dyads rows are kept but not counted.
ALTER TABLE event_dyads ADD COLUMN counted BOOLEAN NOT NULL DEFAULT TRUE;
