import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { Database, Statement } from 'better-sqlite3';

interface Insert {
  stmt: Statement;
  /** One per column, in the statement's order: the row's value as TypeORM would bind it. */
  encoders: Array<(row: ObjectLiteral) => unknown>;
}

type Write = <T extends ObjectLiteral>(target: EntityTarget<T>, rows: T[], upsertOn?: string[], keep?: string[]) => void;
type Update = <T extends ObjectLiteral>(target: EntityTarget<T>, set: Partial<T>, where: Partial<T>) => number;

/** Reads a column straight off the row, encoded by its type (the entities have plain columns only). */
function encoderOf(column: ColumnMetadata): (row: ObjectLiteral) => unknown {
  if (column.embeddedMetadata || column.relationMetadata) throw new Error(`${column.entityMetadata.tableName}.${column.propertyName}: SqliteWriter writes plain columns only`);
  const property = column.propertyName;
  if (column.type === 'simple-json') return (row) => (row[property] == null ? null : JSON.stringify(row[property]));
  if (column.type === 'boolean') return (row) => (row[property] == null ? null : row[property] ? 1 : 0);
  return (row) => row[property] ?? null;
}

/**
 * Prepared INSERT / UPSERT statements for the write hot path on SQLite, built from TypeORM's entity metadata so the
 * mapping stays in the entities. TypeORM builds a fresh SQL text for each write (numbers inlined), which defeats
 * statement caching and was half of a session step's CPU; these statements are prepared once and run in one
 * synchronous transaction. Columns are encoded as TypeORM encodes them, so TypeORM reads the rows back unchanged.
 */
export class SqliteWriter {
  private readonly db: Database;
  private readonly inserts = new Map<string, Insert>();
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly ds: DataSource) {
    this.db = (ds.driver as unknown as { databaseConnection: Database }).databaseConnection;
  }

  static for(ds: DataSource): SqliteWriter | null {
    return ds.options.type === 'better-sqlite3' ? new SqliteWriter(ds) : null;
  }

  /**
   * Runs `work` in one transaction; inside it, `write` inserts entities, or upserts them given conflict keys (an
   * update then leaves the `keep` columns alone: rewriting an unchanged indexed column still rewrites its index).
   */
  transaction(work: (write: Write, update: Update) => void): void {
    this.db.transaction(() => work((target, rows, upsertOn, keep) => this.write(target, rows, upsertOn, keep), (target, set, where) => this.update(target, set, where)))();
  }

  /**
   * Runs a `DELETE … RETURNING` with `secure_delete` on (SQLite overwrites the freed content with zeros), in one
   * transaction with what `after` writes of the rows it deleted (their audit), then truncates the write-ahead log
   * (`truncateWal`), so that the deleted rows are gone from the database and WAL files' bytes, not only from queries.
   */
  secureDelete<R>(sql: string, params: unknown[], after: (rows: R[], write: Write) => void): { rows: R[]; truncated: boolean } {
    this.db.pragma('secure_delete = ON');
    let rows: R[];
    try {
      rows = this.db.transaction(() => {
        const deleted = this.db.prepare(sql).all(...params) as R[];
        after(deleted, (target, list, upsertOn, keep) => this.write(target, list, upsertOn, keep));
        return deleted;
      })();
    } finally {
      this.db.pragma('secure_delete = OFF');
    }
    return { rows, truncated: this.truncateWal() };
  }

  /**
   * Copies the write-ahead log into the database file and truncates it; false when a reader held it up (within a
   * short wait, so that the writer is not held), for the caller to try again later.
   */
  truncateWal(): boolean {
    const wait = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 200');
    try {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      return result?.busy === 0;
    } finally {
      this.db.pragma(`busy_timeout = ${wait}`);
    }
  }

  get<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.prepare(sql).get(...params) as T | undefined;
  }

  /**
   * `UPDATE … SET <set> WHERE <where>`, columns encoded as for inserts. As TypeORM's `update`, an undefined value is
   * left out of `set`; in `where`, null means IS NULL and every other value an equality. Returns the rows changed.
   */
  private update<T extends ObjectLiteral>(target: EntityTarget<T>, set: Partial<T>, where: Partial<T>): number {
    const meta = this.ds.getMetadata(target);
    const column = (property: string) => {
      const c = meta.findColumnWithPropertyName(property);
      if (!c) throw new Error(`${meta.tableName} has no column ${property}`);
      return c;
    };
    const sets = Object.keys(set).filter((k) => set[k] !== undefined).map(column);
    if (!sets.length) throw new Error(`${meta.tableName}: an update needs at least one column to set`);
    const nulls = Object.keys(where).filter((k) => where[k] === null).map(column);
    const equals = Object.keys(where).filter((k) => where[k] !== null).map(column);
    const conditions = [...equals.map((c) => `"${c.databaseName}" = ?`), ...nulls.map((c) => `"${c.databaseName}" IS NULL`)];
    const sql = `UPDATE "${meta.tableName}" SET ${sets.map((c) => `"${c.databaseName}" = ?`).join(', ')} WHERE ${conditions.join(' AND ')}`;
    return this.prepare(sql).run([...sets.map((c) => encoderOf(c)(set)), ...equals.map((c) => encoderOf(c)(where))]).changes;
  }

  private write<T extends ObjectLiteral>(target: EntityTarget<T>, rows: T[], upsertOn?: string[], keep: string[] = []): void {
    const meta = this.ds.getMetadata(target);
    const key = `${meta.tableName}:${upsertOn?.join() ?? ''}:${keep.join()}`;
    let insert = this.inserts.get(key);
    if (!insert) this.inserts.set(key, (insert = this.prepareInsert(meta, upsertOn, keep)));
    for (const row of rows) insert.stmt.run(insert.encoders.map((encode) => encode(row)));
  }

  private prepareInsert(meta: EntityMetadata, upsertOn: string[] | undefined, keep: string[]): Insert {
    const columns = meta.columns.filter((c) => !c.isGenerated);
    const names = columns.map((c) => `"${c.databaseName}"`);
    const updated = columns.filter((c) => !keep.includes(c.propertyName) && !upsertOn?.includes(c.databaseName)).map((c) => `"${c.databaseName}"`);
    const conflict = upsertOn ? ` ON CONFLICT(${upsertOn.map((k) => `"${k}"`).join(', ')}) DO UPDATE SET ${updated.map((c) => `${c} = excluded.${c}`).join(', ')}` : '';
    const stmt = this.db.prepare(`INSERT INTO "${meta.tableName}" (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})${conflict}`);
    return { stmt, encoders: columns.map(encoderOf) };
  }

  private prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }
}
