import { mkdirSync } from 'node:fs';
import { Extension, PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// The contrib extensions publish ESM typings only; their CommonJS build exists and is what runs here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension };

export interface EmbeddedPostgresOptions {
  /** Folder holding the database files; `memory://` keeps it in memory (tests). */
  dataDir: string;
  /** Connections the socket server accepts; the pool using it must be no larger. */
  maxConnections: number;
  /** A data-folder dump (`dumpDataDir`) to start from instead of an empty cluster. */
  loadDataDir?: Blob;
}

/**
 * PostgreSQL embedded in the process (PGlite, compiled to WebAssembly), served over the wire protocol so the
 * service talks to it with the same `pg` driver, migrations and SQL as to a real server.
 *
 * It has a single backend: queries from all connections are serialised, an open transaction blocks the
 * others, and under concurrent load the extended-protocol messages of two connections can interleave (seen
 * as a parameter of one statement typed by another). The service therefore uses one connection here
 * (DB_POOL_SIZE defaults to 1), code never waits on a second connection while it holds a transaction, and
 * nothing sends `COPY … FROM STDIN` (it breaks the socket protocol) — bulk paths use unnest arrays.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
    const db = await PGlite.create(options.dataDir, {
      extensions: { pg_trgm },
      loadDataDir: options.loadDataDir,
    });
    const server = new PGLiteSocketServer({
      db,
      host: '127.0.0.1',
      port: 0,
      maxConnections: options.maxConnections,
    });
    await server.start();
    const url = `postgres://postgres:postgres@${server.getServerConn()}/postgres`;
    return new EmbeddedPostgres(db, server, url);
  }

  /** A tarball of the data folder, to start other instances from the same state. */
  async dump(): Promise<Blob> {
    return this.db.dumpDataDir('none');
  }

  /**
   * A compressed tarball of a data folder no process has open (the service stopped): PGlite's own dump of its
   * files, restored with `restoreFolder`.
   */
  static async dumpFolder(dataDir: string): Promise<Blob> {
    const db = await PGlite.create(dataDir, { extensions: { pg_trgm } });
    try {
      return await db.dumpDataDir('gzip');
    } finally {
      await db.close();
    }
  }

  /** Creates the data folder `dataDir` (which must not exist yet) from a `dumpFolder` tarball. */
  static async restoreFolder(dataDir: string, dump: Blob): Promise<void> {
    mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir, { extensions: { pg_trgm }, loadDataDir: dump });
    await db.query('SELECT 1');
    await db.close();
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
