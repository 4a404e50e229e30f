// The tables of the embedded store, and how a data file is brought up to date. The file
// records its schema version (PRAGMA user_version); a Tablehop that finds a newer one
// refuses to start instead of guessing what the newer columns mean.
import type Database from 'better-sqlite3';

/** MIGRATIONS[i] takes a file from schema version i to i + 1. Only ever append. */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    record      TEXT NOT NULL,              -- JSON EventRecord
    state       TEXT NOT NULL,              -- JSON RoundState
    version     INTEGER NOT NULL,           -- state.version, the compare-and-set key
    status      TEXT NOT NULL,              -- state.status: lobby | running | paused | ended
    due_at      INTEGER,                    -- phaseEndsAt while running, for the phase ticker
    last_table  INTEGER NOT NULL DEFAULT 0, -- the last table number handed to a mentor
    ended_at    INTEGER,
    expires_at  INTEGER                     -- when the sweep deletes it (lobby idle or retention over)
  );
  CREATE INDEX events_due ON events (due_at);
  CREATE INDEX events_expiry ON events (expires_at);

  CREATE TABLE participants (
    event_id    TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    record      TEXT NOT NULL,              -- JSON Participant
    token_hash  TEXT UNIQUE,                -- their current token's hash
    UNIQUE (event_id, id)
  );

  CREATE TABLE plans (
    event_id    TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    round       INTEGER NOT NULL,
    record      TEXT NOT NULL,              -- JSON SeatingPlan
    PRIMARY KEY (event_id, round)
  ) WITHOUT ROWID;

  CREATE TABLE ratings (
    event_id    TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    round       INTEGER NOT NULL,
    rater_id    TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    record      TEXT NOT NULL,              -- JSON Rating
    PRIMARY KEY (event_id, round, rater_id, target_id)
  ) WITHOUT ROWID;

  CREATE TABLE follow_ups (
    event_id    TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    from_id     TEXT NOT NULL,
    to_id       TEXT NOT NULL,
    PRIMARY KEY (event_id, from_id, to_id)
  ) WITHOUT ROWID;
  `,
  // The version counters of an event's people and plans (Store.listPeopleAndPlans).
  `
  ALTER TABLE events ADD COLUMN participants_version INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE events ADD COLUMN plans_version INTEGER NOT NULL DEFAULT 0;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The version the file was written with, before any migration. */
export function schemaVersionOf(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings a file at an older (or no) schema up to SCHEMA_VERSION, all in one transaction. */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    for (let version = schemaVersionOf(db); version < SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }
  }).exclusive();
}
