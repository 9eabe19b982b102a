import { TableColumnOptions } from 'typeorm';

// Migrations use TypeORM's table API rather than SQL, so that each runs on SQLite and PostgreSQL alike.
export const id = (name: string, length = 36): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isPrimary: true });
export const str = (name: string, length: number, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable });
export const text = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });
export const int = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });
export const time = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable });
