"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SqliteWriter = void 0;
/** Reads a column straight off the row, encoded by its type (the entities have plain columns only). */
function encoderOf(column) {
    if (column.embeddedMetadata || column.relationMetadata)
        throw new Error(`${column.entityMetadata.tableName}.${column.propertyName}: SqliteWriter writes plain columns only`);
    const property = column.propertyName;
    if (column.type === 'simple-json')
        return (row) => (row[property] == null ? null : JSON.stringify(row[property]));
    if (column.type === 'boolean')
        return (row) => (row[property] == null ? null : row[property] ? 1 : 0);
    return (row) => row[property] ?? null;
}
/**
 * Prepared INSERT / UPSERT statements for the write hot path on SQLite, built from TypeORM's entity metadata so the
 * mapping stays in the entities. TypeORM builds a fresh SQL text for each write (numbers inlined), which defeats
 * statement caching and was half of a session step's CPU; these statements are prepared once and run in one
 * synchronous transaction. Columns are encoded as TypeORM encodes them, so TypeORM reads the rows back unchanged.
 */
class SqliteWriter {
    ds;
    db;
    inserts = new Map();
    statements = new Map();
    constructor(ds) {
        this.ds = ds;
        this.db = ds.driver.databaseConnection;
    }
    static for(ds) {
        return ds.options.type === 'better-sqlite3' ? new SqliteWriter(ds) : null;
    }
    /**
     * Runs `work` in one transaction; inside it, `write` inserts entities, or upserts them given conflict keys (an
     * update then leaves the `keep` columns alone: rewriting an unchanged indexed column still rewrites its index).
     */
    transaction(work) {
        this.db.transaction(() => work((target, rows, upsertOn, keep) => this.write(target, rows, upsertOn, keep)))();
    }
    get(sql, ...params) {
        return this.prepare(sql).get(...params);
    }
    write(target, rows, upsertOn, keep = []) {
        const meta = this.ds.getMetadata(target);
        const key = `${meta.tableName}:${upsertOn?.join() ?? ''}:${keep.join()}`;
        let insert = this.inserts.get(key);
        if (!insert)
            this.inserts.set(key, (insert = this.prepareInsert(meta, upsertOn, keep)));
        for (const row of rows)
            insert.stmt.run(insert.encoders.map((encode) => encode(row)));
    }
    prepareInsert(meta, upsertOn, keep) {
        const columns = meta.columns.filter((c) => !c.isGenerated);
        const names = columns.map((c) => `"${c.databaseName}"`);
        const updated = columns.filter((c) => !keep.includes(c.propertyName) && !upsertOn?.includes(c.databaseName)).map((c) => `"${c.databaseName}"`);
        const conflict = upsertOn ? ` ON CONFLICT(${upsertOn.map((k) => `"${k}"`).join(', ')}) DO UPDATE SET ${updated.map((c) => `${c} = excluded.${c}`).join(', ')}` : '';
        const stmt = this.db.prepare(`INSERT INTO "${meta.tableName}" (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})${conflict}`);
        return { stmt, encoders: columns.map(encoderOf) };
    }
    prepare(sql) {
        let stmt = this.statements.get(sql);
        if (!stmt)
            this.statements.set(sql, (stmt = this.db.prepare(sql)));
        return stmt;
    }
}
exports.SqliteWriter = SqliteWriter;
//# sourceMappingURL=sqlite-writer.js.map