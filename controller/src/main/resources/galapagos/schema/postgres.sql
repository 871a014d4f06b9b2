-- Tables of pekko-persistence-jdbc for PostgreSQL; every statement may run again, inside a transaction.
CREATE TABLE IF NOT EXISTS public.event_journal (
    ordering BIGSERIAL,
    persistence_id VARCHAR(255) NOT NULL,
    sequence_number BIGINT NOT NULL,
    deleted BOOLEAN DEFAULT FALSE NOT NULL,
    writer VARCHAR(255) NOT NULL,
    write_timestamp BIGINT,
    adapter_manifest VARCHAR(255),
    event_ser_id INTEGER NOT NULL,
    event_ser_manifest VARCHAR(255) NOT NULL,
    event_payload BYTEA NOT NULL,
    meta_ser_id INTEGER,
    meta_ser_manifest VARCHAR(255),
    meta_payload BYTEA,
    PRIMARY KEY(persistence_id, sequence_number)
);
CREATE UNIQUE INDEX IF NOT EXISTS event_journal_ordering_idx ON public.event_journal(ordering);
CREATE TABLE IF NOT EXISTS public.event_tag (
    event_id BIGINT,
    tag VARCHAR(256),
    PRIMARY KEY(event_id, tag),
    CONSTRAINT fk_event_journal FOREIGN KEY(event_id) REFERENCES public.event_journal(ordering) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS public.snapshot (
    persistence_id VARCHAR(255) NOT NULL,
    sequence_number BIGINT NOT NULL,
    created BIGINT NOT NULL,
    snapshot_ser_id INTEGER NOT NULL,
    snapshot_ser_manifest VARCHAR(255) NOT NULL,
    snapshot_payload BYTEA NOT NULL,
    meta_ser_id INTEGER,
    meta_ser_manifest VARCHAR(255),
    meta_payload BYTEA,
    PRIMARY KEY(persistence_id, sequence_number)
);
CREATE TABLE IF NOT EXISTS public.durable_state (
    global_offset BIGSERIAL,
    persistence_id VARCHAR(255) NOT NULL,
    revision BIGINT NOT NULL,
    state_payload BYTEA NOT NULL,
    state_serial_id INTEGER NOT NULL,
    state_serial_manifest VARCHAR(255),
    tag VARCHAR,
    state_timestamp BIGINT NOT NULL,
    PRIMARY KEY(persistence_id)
);
CREATE INDEX IF NOT EXISTS state_tag_idx ON public.durable_state (tag);
CREATE INDEX IF NOT EXISTS state_global_offset_idx ON public.durable_state (global_offset);
-- Galapagos: what every cluster member last reported about itself (written every few seconds by the
-- member, read by `galapagos status`); last_seen is the database's clock, so staleness needs no synced clocks.
CREATE TABLE IF NOT EXISTS public.galapagos_members (
    address VARCHAR(255) NOT NULL,
    roles VARCHAR(255) NOT NULL,
    host VARCHAR(255) NOT NULL,
    pid BIGINT NOT NULL,
    status VARCHAR(32) NOT NULL,
    up_since TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen TIMESTAMP WITH TIME ZONE NOT NULL,
    dispatcher BOOLEAN NOT NULL,
    coordinators VARCHAR(255) NOT NULL,
    islands TEXT NOT NULL,
    PRIMARY KEY(address)
);
-- The cluster lease: one row naming the cluster incarnation that uses this database, renewed by its
-- oldest reachable controller with the database's clock (see ClusterLease).
CREATE TABLE IF NOT EXISTS public.galapagos_cluster (
    id INTEGER PRIMARY KEY,
    incarnation VARCHAR(64) NOT NULL,
    holder VARCHAR(255) NOT NULL,
    renewed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    started BOOLEAN DEFAULT FALSE NOT NULL
);
-- Fencing: every controller's journal connections carry its own token as application_name; once the
-- cluster downs a member, the survivors list its token here, and the trigger below refuses every later
-- commit of a journal, snapshot or state row from it. A member frozen past its removal (SIGSTOP, a very
-- long GC) therefore cannot add to a history whose entity has moved on. The trigger is deferred so that
-- it checks at commit time: an insert issued before the fence but committed after it is refused too.
CREATE TABLE IF NOT EXISTS public.galapagos_fenced (
    token VARCHAR(63) PRIMARY KEY,
    address VARCHAR(255) NOT NULL,
    fenced_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);
CREATE OR REPLACE FUNCTION public.galapagos_refuse_fenced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM public.galapagos_fenced WHERE token = current_setting('application_name')) THEN
        RAISE EXCEPTION 'galapagos: % was removed from the cluster and fenced; its write to % is refused',
            current_setting('application_name'), TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END $$;
DO $$
DECLARE
    fenced_table TEXT;
BEGIN
    FOREACH fenced_table IN ARRAY ARRAY['event_journal', 'snapshot', 'durable_state'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'galapagos_fence_' || fenced_table) THEN
            EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE ON public.%I'
                || ' DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.galapagos_refuse_fenced()',
                'galapagos_fence_' || fenced_table, fenced_table);
        END IF;
    END LOOP;
END $$;
-- The task folders of runs, each stored once under the sha256 of its archive and fetched by every worker
-- on first use (see BundleStore).
CREATE TABLE IF NOT EXISTS public.galapagos_task_bundles (
    hash VARCHAR(64) PRIMARY KEY,
    bytes BYTEA NOT NULL,
    size BIGINT NOT NULL,
    stored_at TIMESTAMP WITH TIME ZONE NOT NULL
);
