"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.time = exports.int = exports.text = exports.str = exports.id = void 0;
// Migrations use TypeORM's table API rather than SQL, so that each runs on SQLite and PostgreSQL alike.
const id = (name, length = 36) => ({ name, type: 'varchar', length: String(length), isPrimary: true });
exports.id = id;
const str = (name, length, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });
exports.str = str;
const text = (name, isNullable = false) => ({ name, type: 'text', isNullable });
exports.text = text;
const int = (name, isNullable = false) => ({ name, type: 'integer', isNullable });
exports.int = int;
const time = (name, isNullable = false) => ({ name, type: 'bigint', isNullable });
exports.time = time;
//# sourceMappingURL=columns.js.map