import { ValueTransformer } from 'typeorm';

/**
 * Times are stored as epoch milliseconds in a `bigint` column: the one timestamp type that SQLite and
 * PostgreSQL share under TypeORM, so one set of entities and migrations serves both.
 */
export const epochMs: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};
