-- flashpoint store, schema version 2, SQLite dialect (in step with ../postgres/0002_counted_mentions.sql).
-- A real-world event reported by several articles is one event cluster; its series counts it once, through
-- one mention (the first stored): the others' event_dyads rows are kept but not counted.
ALTER TABLE event_dyads ADD COLUMN counted INTEGER NOT NULL DEFAULT 1;
