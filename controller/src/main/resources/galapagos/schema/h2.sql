-- Tables of pekko-persistence-jdbc for H2; every statement may run again on an existing database.
CREATE TABLE IF NOT EXISTS PUBLIC."event_journal" (
    "ordering" BIGINT UNIQUE NOT NULL AUTO_INCREMENT,
    "deleted" BOOLEAN DEFAULT false NOT NULL,
    "persistence_id" VARCHAR(255) NOT NULL,
    "sequence_number" BIGINT NOT NULL,
    "writer" VARCHAR NOT NULL,
    "write_timestamp" BIGINT NOT NULL,
    "adapter_manifest" VARCHAR NOT NULL,
    "event_payload" BLOB NOT NULL,
    "event_ser_id" INTEGER NOT NULL,
    "event_ser_manifest" VARCHAR NOT NULL,
    "meta_payload" BLOB,
    "meta_ser_id" INTEGER,
    "meta_ser_manifest" VARCHAR,
    PRIMARY KEY("persistence_id","sequence_number")
);
CREATE UNIQUE INDEX IF NOT EXISTS "event_journal_ordering_idx" ON PUBLIC."event_journal" ("ordering");
CREATE TABLE IF NOT EXISTS PUBLIC."event_tag" (
    "event_id" BIGINT NOT NULL,
    "tag" VARCHAR NOT NULL,
    PRIMARY KEY("event_id", "tag"),
    CONSTRAINT "fk_event_journal" FOREIGN KEY("event_id") REFERENCES "event_journal"("ordering") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS PUBLIC."snapshot" (
    "persistence_id" VARCHAR(255) NOT NULL,
    "sequence_number" BIGINT NOT NULL,
    "created" BIGINT NOT NULL,
    "snapshot_ser_id" INTEGER NOT NULL,
    "snapshot_ser_manifest" VARCHAR NOT NULL,
    "snapshot_payload" BLOB NOT NULL,
    "meta_ser_id" INTEGER,
    "meta_ser_manifest" VARCHAR,
    "meta_payload" BLOB,
    PRIMARY KEY("persistence_id","sequence_number")
);
CREATE SEQUENCE IF NOT EXISTS PUBLIC."global_offset_seq";
CREATE TABLE IF NOT EXISTS PUBLIC."durable_state" (
    "global_offset" BIGINT DEFAULT NEXT VALUE FOR PUBLIC."global_offset_seq",
    "persistence_id" VARCHAR(255) NOT NULL,
    "revision" BIGINT NOT NULL,
    "state_payload" BLOB NOT NULL,
    "state_serial_id" INTEGER NOT NULL,
    "state_serial_manifest" VARCHAR,
    "tag" VARCHAR,
    "state_timestamp" BIGINT NOT NULL,
    PRIMARY KEY("persistence_id")
);
CREATE INDEX IF NOT EXISTS "state_tag_idx" ON PUBLIC."durable_state" ("tag");
CREATE INDEX IF NOT EXISTS "state_global_offset_idx" ON PUBLIC."durable_state" ("global_offset");
-- Galapagos: what every cluster member last reported about itself (written every few seconds by the
-- member, read by `galapagos status`); last_seen is the database's clock, so staleness needs no synced clocks.
CREATE TABLE IF NOT EXISTS PUBLIC."galapagos_members" (
    "address" VARCHAR(255) NOT NULL,
    "roles" VARCHAR(255) NOT NULL,
    "host" VARCHAR(255) NOT NULL,
    "pid" BIGINT NOT NULL,
    "status" VARCHAR(32) NOT NULL,
    "up_since" TIMESTAMP WITH TIME ZONE NOT NULL,
    "last_seen" TIMESTAMP WITH TIME ZONE NOT NULL,
    "dispatcher" BOOLEAN NOT NULL,
    "coordinators" VARCHAR(255) NOT NULL,
    "islands" VARCHAR NOT NULL,
    PRIMARY KEY("address")
);
-- The cluster lease: one row naming the cluster incarnation that uses this database, renewed by its
-- oldest reachable controller with the database's clock (see ClusterLease).
CREATE TABLE IF NOT EXISTS PUBLIC."galapagos_cluster" (
    "id" INTEGER PRIMARY KEY,
    "incarnation" VARCHAR(64) NOT NULL,
    "holder" VARCHAR(255) NOT NULL,
    "renewed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
    "started" BOOLEAN DEFAULT FALSE NOT NULL
);
-- Fencing of removed members (see postgres.sql); an H2 journal serves one node, so nothing is refused here.
CREATE TABLE IF NOT EXISTS PUBLIC."galapagos_fenced" (
    "token" VARCHAR(63) PRIMARY KEY,
    "address" VARCHAR(255) NOT NULL,
    "fenced_at" TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);
-- The task folders of runs, each stored once under the sha256 of its archive and fetched by every worker
-- on first use (see BundleStore); BLOB because H2 caps VARBINARY at 1 MB.
CREATE TABLE IF NOT EXISTS PUBLIC."galapagos_task_bundles" (
    "hash" VARCHAR(64) PRIMARY KEY,
    "bytes" BLOB NOT NULL,
    "size" BIGINT NOT NULL,
    "stored_at" TIMESTAMP WITH TIME ZONE NOT NULL
);
