"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.iso = exports.epochMs = void 0;
/**
 * Times are stored as epoch milliseconds in a `bigint` column: the one timestamp type that SQLite and
 * PostgreSQL share under TypeORM, so one set of entities and migrations serves both.
 */
exports.epochMs = {
    to: (value) => value,
    from: (value) => (value === null || value === undefined ? null : Number(value)),
};
const iso = (ms) => (ms === null ? null : new Date(ms).toISOString());
exports.iso = iso;
//# sourceMappingURL=columns.js.map