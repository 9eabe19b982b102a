import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { Database, Statement } from 'better-sqlite3';

/**
 * Prepared INSERT / UPSERT statements for the write hot path on SQLite, built from TypeORM's entity metadata so the
 * mapping stays in the entities. TypeORM builds a fresh SQL text for each write (numbers inlined), which defeats
 * statement caching and was half of a session step's CPU; these statements are prepared once and run in one
 * synchronous transaction. Columns are encoded as TypeORM encodes them, so TypeORM reads the rows back unchanged.
 */
export class SqliteWriter {
  private readonly db: Database;
  private readonly statements = new Map<string, { stmt: Statement; meta: EntityMetadata }>();

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
  transaction(work: (write: <T extends ObjectLiteral>(target: EntityTarget<T>, rows: T[], upsertOn?: string[], keep?: string[]) => void) => void): void {
    this.db.transaction(() => work((target, rows, upsertOn, keep) => this.write(target, rows, upsertOn, keep)))();
  }

  get<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.prepare(sql).get(...params) as T | undefined;
  }

  private write<T extends ObjectLiteral>(target: EntityTarget<T>, rows: T[], upsertOn?: string[], keep: string[] = []): void {
    const meta = this.ds.getMetadata(target);
    const key = `${meta.tableName}:${upsertOn?.join() ?? ''}:${keep.join()}`;
    let entry = this.statements.get(key);
    if (!entry) {
      const cols = meta.columns.filter((c) => !c.isGenerated).map((c) => `"${c.databaseName}"`);
      const updated = meta.columns.filter((c) => !c.isGenerated && !keep.includes(c.propertyName) && !upsertOn?.includes(c.databaseName)).map((c) => `"${c.databaseName}"`);
      const conflict = upsertOn ? ` ON CONFLICT(${upsertOn.map((k) => `"${k}"`).join(', ')}) DO UPDATE SET ${updated.map((c) => `${c} = excluded.${c}`).join(', ')}` : '';
      entry = { stmt: this.db.prepare(`INSERT INTO "${meta.tableName}" (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})${conflict}`), meta };
      this.statements.set(key, entry);
    }
    const columns = entry.meta.columns.filter((c) => !c.isGenerated);
    for (const row of rows) {
      entry.stmt.run(columns.map((c) => {
        const value = c.getEntityValue(row);
        if (value === null || value === undefined) return null;
        if (c.type === 'simple-json') return JSON.stringify(value);
        if (c.type === 'boolean') return value ? 1 : 0;
        return value;
      }));
    }
  }

  private prepare(sql: string): Statement {
    let entry = this.statements.get(sql);
    if (!entry) {
      entry = { stmt: this.db.prepare(sql), meta: null as unknown as EntityMetadata };
      this.statements.set(sql, entry);
    }
    return entry.stmt;
  }
}
