-- The sink: partition claims that fence off a zombie instance, dead letters kept in PostgreSQL until they are
-- published (an outbox), and the sizes an upload session can never have.

-- A claim: every time an instance is assigned a partition it bumps the partition's epoch; every batch locks its
-- partitions' rows and writes only if the epoch is still its own. An instance that lost the partition (a zombie
-- past max.poll.interval.ms) finds a newer epoch and rolls back, so neither rows nor offsets move backwards.
ALTER TABLE sink_offsets ALTER COLUMN next_offset DROP NOT NULL;
ALTER TABLE sink_offsets ADD COLUMN epoch bigint NOT NULL DEFAULT 0;
ALTER TABLE sink_offsets ADD COLUMN owner text;
ALTER TABLE sink_offsets ADD COLUMN claimed_at timestamptz;
ALTER TABLE sink_offsets ADD COLUMN committed_at timestamptz;
COMMENT ON COLUMN sink_offsets.next_offset IS 'Next offset to read; NULL while the partition is claimed but nothing was written yet (read from the beginning).';
COMMENT ON COLUMN sink_offsets.epoch IS 'Bumped by every claim (assignment); a batch commits only under the epoch it was read under.';
COMMENT ON COLUMN sink_offsets.owner IS 'Sink instance that made the latest claim (host, process and a random suffix).';
COMMENT ON COLUMN sink_offsets.claimed_at IS 'When the latest claim was made.';
COMMENT ON COLUMN sink_offsets.committed_at IS 'When a batch of this partition was last committed.';

CREATE TABLE sink_dead_letters (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dlt_topic         text        NOT NULL,
    source_topic      text        NOT NULL,
    source_partition  integer     NOT NULL,
    source_offset     bigint      NOT NULL,
    reason            text        NOT NULL,
    sql_state         text,
    description       text        NOT NULL,
    replayed_from     text,
    letter_key        bytea,
    letter_value      bytea       NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    published_at      timestamptz,
    CONSTRAINT sink_dead_letters_once UNIQUE (source_topic, source_partition, source_offset)
);
CREATE INDEX sink_dead_letters_unpublished ON sink_dead_letters (id) WHERE published_at IS NULL;
CREATE INDEX sink_dead_letters_published_at ON sink_dead_letters (published_at) WHERE published_at IS NOT NULL;
COMMENT ON TABLE sink_dead_letters IS 'Records the sink could not write, inserted in the same transaction as the batch and its offsets (never lost, never doubled); a relay publishes each to its dead-letter topic and sets published_at. Published letters are deleted after a retention.';
COMMENT ON COLUMN sink_dead_letters.dlt_topic IS 'Dead-letter topic the letter goes to: <source topic>-dlt.';
COMMENT ON COLUMN sink_dead_letters.source_topic IS 'Topic of the record that was refused.';
COMMENT ON COLUMN sink_dead_letters.source_partition IS 'Partition of the record.';
COMMENT ON COLUMN sink_dead_letters.source_offset IS 'Offset of the record.';
COMMENT ON COLUMN sink_dead_letters.reason IS 'DeadLetterReason: UNDECODABLE, UNKNOWN_SCHEMA, INVARIANT_VIOLATION, DATABASE_REJECTED or PROCESSING_ERROR.';
COMMENT ON COLUMN sink_dead_letters.sql_state IS 'SQLSTATE of the database error that refused the row (DATABASE_REJECTED), e.g. 22021.';
COMMENT ON COLUMN sink_dead_letters.description IS 'What was wrong: PostgreSQL''s message for a refused row.';
COMMENT ON COLUMN sink_dead_letters.replayed_from IS 'Set when the refused record was itself a replayed dead letter: <dlt topic>/<partition>/<offset>.';
COMMENT ON COLUMN sink_dead_letters.letter_key IS 'Key of the dead-letter record: the raw key of the refused record.';
COMMENT ON COLUMN sink_dead_letters.letter_value IS 'Value of the dead-letter record: the DeadLetter, Avro single-object encoded.';
COMMENT ON COLUMN sink_dead_letters.created_at IS 'When the sink refused the record.';
COMMENT ON COLUMN sink_dead_letters.published_at IS 'When the letter reached its dead-letter topic; NULL while it waits (the backlog).';

-- Sizes and counts of an upload session are never negative. NOT VALID: rows already there are not re-checked.
ALTER TABLE upload_sessions ADD CONSTRAINT upload_sessions_sizes_not_negative
    CHECK (file_size_bytes >= 0 AND chunk_size_bytes >= 0 AND total_chunks >= 0 AND failed_chunks >= 0) NOT VALID;
