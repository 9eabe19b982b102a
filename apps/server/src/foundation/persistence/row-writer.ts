import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { SqliteWriter } from './sqlite-writer';

/**
 * The one writer for hot inserts, shared by every store so that each statement is prepared once per process. On
 * SQLite it goes through `SqliteWriter` (TypeORM puts the values into the SQL text, so each of its inserts would
 * prepare a new statement); elsewhere through TypeORM.
 */
@Injectable()
export class RowWriter {
  /** Prepared statements and one-transaction writes on SQLite; null on other databases. */
  readonly sqlite: SqliteWriter | null;

  constructor(@InjectDataSource() private readonly ds: DataSource) {
    this.sqlite = SqliteWriter.for(ds);
  }

  async insert<T extends ObjectLiteral>(target: EntityTarget<T>, rows: T[]): Promise<void> {
    if (this.sqlite) this.sqlite.transaction((put) => put(target, rows));
    else await this.ds.getRepository(target).insert(rows as never);
  }
}
