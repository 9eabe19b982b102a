import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from './data-source';

describe('migrations (real SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ioa-migrations-'));
  const ds = new DataSource({ type: 'better-sqlite3', database: join(dir, 'ioa.sqlite'), entities: ENTITIES, migrations: MIGRATIONS });

  beforeAll(() => ds.initialize());
  afterAll(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('build exactly the schema the entities describe', async () => {
    await ds.runMigrations();
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('can be reverted one by one and applied again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration();
    await ds.runMigrations();
    expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });

  it('makes the agents stored before `coordinates` coordinators, and no agent after it by default', async () => {
    const after = MIGRATIONS.length - MIGRATIONS.findIndex((m) => m.name === 'Coordinates1764700000000');
    for (let i = 0; i < after; i++) await ds.undoLastMigration();
    const row = (id: string, name: string) => [id, name, 'd', '[]', '[]', '{}', 1, 10, 'offline', 0, 0];
    const insert = (values: unknown[]) => ds.query(`INSERT INTO agents (id, name, description, capabilities, skills, metadata, acceptingInvites,
      maxConcurrentGroups, status, createdAt, updatedAt) VALUES (${values.map(() => '?').join(', ')})`, values);
    await insert(row('old', 'old-agent'));
    await ds.runMigrations();
    await insert(row('new', 'new-agent'));
    expect(await ds.query('SELECT id, coordinates FROM agents ORDER BY id')).toEqual([{ id: 'new', coordinates: 0 }, { id: 'old', coordinates: 1 }]);
    await ds.query('DELETE FROM agents');
  });
});
