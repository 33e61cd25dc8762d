import mongoose, { type Connection } from 'mongoose';

/** Options for one service's database connection. */
export interface MongoConnectionOptions {
  /** `mongodb://host:port` without a database; see ServiceEnv.MONGO_URL. */
  url: string;
  /** The service's own database, e.g. `dossier_intake`. */
  dbName: string;
  /** How long an operation waits for a reachable server before failing; keeps requests from hanging when it is down. */
  serverSelectionTimeoutMs?: number;
}

/**
 * Opens a mongoose connection to the service's own database. Commands are not buffered while disconnected: a request
 * made while the database is down fails within `serverSelectionTimeoutMs` instead of hanging.
 */
export async function connectMongo(options: MongoConnectionOptions): Promise<Connection> {
  const connection = mongoose.createConnection(options.url, {
    dbName: options.dbName,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5_000,
    bufferCommands: false,
    autoIndex: false,
    autoCreate: true,
    // FerretDB v1 and MongoDB both accept plain writes; retryable writes need a replica set and are not relied on.
    retryWrites: false,
    // An optional field left undefined is omitted, not stored as null: stored documents and the events read back
    // from their outbox then match the contracts, where absent and null differ.
    ignoreUndefined: true,
  });
  try {
    await connection.asPromise();
  } catch (error) {
    await connection.close().catch(() => undefined); // stop the driver's monitors, or the process cannot exit
    throw error;
  }
  return connection;
}

/** Sends `ping` to the database; resolves with the round trip in ms or rejects after `timeoutMs`. */
export async function pingMongo(connection: Connection, timeoutMs: number): Promise<number> {
  const db = connection.db;
  if (!db || connection.readyState !== mongoose.ConnectionStates.connected) throw new Error('not connected');
  const started = performance.now();
  await withTimeout(db.command({ ping: 1 }), timeoutMs, 'database ping');
  return Math.round(performance.now() - started);
}

/** True for MongoDB's duplicate key error (11000), the signal that a unique index rejected a write. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
