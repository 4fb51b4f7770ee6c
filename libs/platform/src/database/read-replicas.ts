import { AsyncLocalStorage } from 'node:async_hooks';
import {
  Inject,
  Injectable,
  Logger,
  NestMiddleware,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NextFunction, Request, Response } from 'express';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { currentRequest, requestContextOf } from '../http/request-context';
import { Queryable } from './paged-query';

/** A write-ahead log position ('16/B374D848') as a number that compares. */
export function lsn(text: string): bigint {
  const [high, low] = text.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

interface Replica {
  url: string;
  pool: Pool;
  /** How far behind the primary the replica was at its last check (ms); null: down or not checked yet. */
  lagMs: number | null;
  /** When that check was made. */
  checkedAt: number;
}

export interface ReplicaState {
  host: string;
  lagMs: number | null;
}

interface ReadScope {
  userId: string | null;
}

/** SQLSTATE classes of errors in the statement itself (data, constraint, syntax, access): the primary would fail too. */
const STATEMENT_ERROR = /^(22|23|42)/;

/**
 * Reads that may go to a streaming replica: KPI figures, dashboards, exports and search. Inside `run()`,
 * `query()` goes to a replica that is up and was at most `maxLagMs` behind the primary at a check made within
 * the last two `checkMs`, unless the caller wrote something within the last `maxLagMs + 2 × checkMs`
 * (read-your-writes: by then every replica still in use has replayed that write); everything else — writes, transactions, reads outside `run()` — stays on the primary.
 * A replica that fails a query is set aside until its next successful check and the query is answered by the
 * primary.
 */
@Injectable()
export class ReadReplicas implements OnModuleInit, OnApplicationShutdown, Queryable {
  private readonly logger = new Logger('ReadReplicas');
  private readonly scope = new AsyncLocalStorage<ReadScope>();
  private readonly replicas: Replica[];
  /** When each user last wrote, in this process. */
  private readonly lastWrite = new Map<string, number>();
  /** The primary's WAL position over the last moments, newest last. */
  private samples: { at: number; lsn: bigint }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private next = 0;

  constructor(
    @InjectDataSource() private readonly primary: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.replicas = config.replicas.urls.map((url) => ({
      url,
      pool: new Pool({
        connectionString: url,
        max: config.dbPoolSize,
        // The same session settings as the primary's pool (database.module.ts).
        options: '-c TimeZone=UTC -c random_page_cost=1.1',
        application_name: 'lantoa-read',
        connectionTimeoutMillis: 2000,
      }),
      lagMs: null,
      checkedAt: 0,
    }));
    // A replica that goes away must not take the process with it: its idle connections' errors are expected.
    for (const replica of this.replicas) replica.pool.on('error', () => undefined);
  }

  onModuleInit(): void {
    if (this.replicas.length === 0) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.config.replicas.checkMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.checking;
    await Promise.all(this.replicas.map((r) => r.pool.end().catch(() => undefined)));
  }

  /** How long after a write its author's reads stay on the primary. */
  get stickyMs(): number {
    return this.config.replicas.maxLagMs + 2 * this.config.replicas.checkMs;
  }

  /**
   * Runs `fn` with its `query()` calls allowed to go to a replica, on behalf of `userId` (by default the
   * caller of the current request; null: no user).
   */
  run<T>(fn: () => Promise<T>, userId: string | null = currentRequest().userId ?? null): Promise<T> {
    return this.scope.run({ userId }, fn);
  }

  /** Records that `userId` has just written: their reads stay on the primary for `stickyMs`. */
  wrote(userId: string): void {
    if (this.replicas.length === 0) return;
    this.lastWrite.set(userId, Date.now());
  }

  state(): ReplicaState[] {
    return this.replicas.map((r) => ({ host: new URL(r.url).host, lagMs: r.lagMs }));
  }

  async query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T> {
    const replica = this.pick();
    if (!replica) return this.primary.query<T>(sql, parameters);
    try {
      return (await replica.pool.query(sql, parameters)).rows as T;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code && STATEMENT_ERROR.test(code)) throw error;
      // Down, restarting, or a query cancelled by replay (40001): the primary answers.
      this.logger.warn(
        `Replica ${new URL(replica.url).host} failed a read (${code ?? (error as Error).message})`,
      );
      replica.lagMs = null;
      return this.primary.query<T>(sql, parameters);
    }
  }

  private pick(): Replica | null {
    const scope = this.scope.getStore();
    if (!scope || this.replicas.length === 0) return null;
    if (scope.userId !== null) {
      const wrote = this.lastWrite.get(scope.userId);
      if (wrote !== undefined) {
        if (Date.now() - wrote < this.stickyMs) return null;
        this.lastWrite.delete(scope.userId);
      }
    }
    const { maxLagMs, checkMs } = this.config.replicas;
    const now = Date.now();
    const fresh = this.replicas.filter(
      (r) => r.lagMs !== null && r.lagMs <= maxLagMs && now - r.checkedAt <= 2 * checkMs,
    );
    if (fresh.length === 0) return null;
    this.next = (this.next + 1) % fresh.length;
    return fresh[this.next];
  }

  /** Samples the primary's WAL position and measures each replica against the samples. */
  check(): Promise<void> {
    this.checking ??= this.measure().finally(() => (this.checking = null));
    return this.checking;
  }

  private async measure(): Promise<void> {
    const now = Date.now();
    let current: bigint;
    try {
      const [row] = await this.primary.query<{ lsn: string }[]>('SELECT pg_current_wal_lsn()::text AS lsn');
      current = lsn(row.lsn);
    } catch {
      return; // The primary is away: nothing to measure against (and no reads are served anyway).
    }
    const horizon = now - 2 * (this.config.replicas.maxLagMs + this.config.replicas.checkMs);
    this.samples = [...this.samples.filter((s) => s.at >= horizon), { at: now, lsn: current }];
    // Forget the writers whose window has passed.
    for (const [user, at] of this.lastWrite) if (now - at >= this.stickyMs) this.lastWrite.delete(user);
    await Promise.all(
      this.replicas.map(async (replica) => {
        try {
          const [row] = (
            await replica.pool.query(
              'SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed',
            )
          ).rows as { standby: boolean; replayed: string | null }[];
          if (!row.standby || row.replayed === null) throw new Error('not a streaming standby');
          replica.lagMs = this.lagOf(lsn(row.replayed), now);
          replica.checkedAt = now;
        } catch (error) {
          if (replica.lagMs !== null) {
            this.logger.warn(`Replica ${new URL(replica.url).host} set aside: ${(error as Error).message}`);
          }
          replica.lagMs = null;
        }
      }),
    );
  }

  /**
   * A replica that has replayed position `replayed` holds everything the primary had written at the time of
   * the newest sample at or before that position: its lag is the time since then (0 when it has caught up).
   */
  private lagOf(replayed: bigint, now: number): number {
    let since: number | null = null;
    for (const sample of this.samples) if (sample.lsn <= replayed) since = sample.at;
    const newest = this.samples[this.samples.length - 1];
    if (newest.lsn <= replayed) return 0;
    return now - (since ?? this.samples[0].at);
  }
}

/** Records the author of every request that may have written (any method but GET, HEAD and OPTIONS). */
@Injectable()
export class ReadYourWritesMiddleware implements NestMiddleware {
  constructor(private readonly replicas: ReadReplicas) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
      // Once at the end: the write is committed by then (the user is known only after the guard has run).
      res.on('finish', () => {
        const { userId } = requestContextOf(req);
        if (userId) this.replicas.wrote(userId);
      });
    }
    next();
  }
}
