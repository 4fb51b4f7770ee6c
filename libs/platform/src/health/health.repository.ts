import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What readiness asks the primary database. */
@Injectable()
export class HealthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether the pool is set up (not while starting, nor after shutdown). */
  get initialized(): boolean {
    return this.dataSource.isInitialized;
  }

  /** One round trip to the primary. */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
