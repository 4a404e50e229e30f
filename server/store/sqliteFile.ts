// Opening the embedded store's data file, or refusing to with a sentence that says what
// to do. A file that is damaged, held by another running Tablehop or written by a newer
// one must never turn into a silent fresh start that hides the event people were told
// was saved.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION, migrate, schemaVersionOf } from './sqliteSchema';

/** Startup stops on this; its message is the whole answer a person needs. */
export class DataFileError extends Error {
  override name = 'DataFileError';
}

const code = (error: unknown) => String((error as { code?: unknown } | null)?.code ?? '');

/**
 * Opens (creating if needed) the data file, owner-only, with an exclusive lock held until
 * close: a second instance on the same file stops at once instead of both writing it.
 * ':memory:' opens a database that lives and dies with the process (tests, benches).
 */
export function openDataFile(file: string): Database.Database {
  const inMemory = file === ':memory:';
  if (!inMemory) {
    // The folder and file hold names, emails and private notes: nobody else may read them.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  let db: Database.Database | undefined;
  try {
    // A restart right after a crash finds the lock already released by the OS; waiting a
    // little covers an instance that is still closing.
    db = new Database(file, { timeout: 1000 });
    // Exclusive locking: the lock is taken at the first write below and held until close
    // (and released by the OS if the process dies), and WAL needs no shared-memory file.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    // FULL: each commit reaches the disk (fsync) before its reply is sent, so a power cut
    // loses nothing acknowledged either (docs/data.md).
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    const found = schemaVersionOf(db);
    if (found > SCHEMA_VERSION) {
      throw new DataFileError(
        `The data file ${file} was written by a newer Tablehop (data version ${found}; this one knows up to ${SCHEMA_VERSION}). ` +
          'Update Tablehop (git pull && npm ci), or set DATA_DIR to another folder to start with an empty store; the file was left untouched.',
      );
    }
    if (found > 0) {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw Object.assign(new Error(String(check)), { code: 'SQLITE_CORRUPT' });
    }
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    throw explain(error, file);
  }
}

function explain(error: unknown, file: string): Error {
  if (error instanceof DataFileError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  switch (code(error)) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new DataFileError(
        `The data file ${file} is in use by another Tablehop that is running. Stop that one first (Ctrl-C in its terminal), ` +
          'or give this one its own DATA_DIR (and PORT).',
      );
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return new DataFileError(
        `The data file ${file} is damaged (${reason}), so Tablehop did not start and changed nothing. ` +
          'Restore it from a backup, or move it (and any -wal file beside it) away to start with an empty store.',
      );
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
    case 'SQLITE_IOERR':
      return new DataFileError(`Tablehop cannot open its data file ${file} (${reason}). Check that DATA_DIR is a folder this user may write, with free space.`);
    default:
      return error instanceof Error ? error : new Error(reason);
  }
}
