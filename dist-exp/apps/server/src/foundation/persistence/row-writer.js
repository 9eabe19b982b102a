"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.RowWriter = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("@nestjs/typeorm");
const typeorm_2 = require("typeorm");
const sqlite_writer_1 = require("./sqlite-writer");
/**
 * The one writer for hot inserts, shared by every store so that each statement is prepared once per process. On
 * SQLite it goes through `SqliteWriter` (TypeORM puts the values into the SQL text, so each of its inserts would
 * prepare a new statement); elsewhere through TypeORM.
 */
let RowWriter = class RowWriter {
    ds;
    /** Prepared statements and one-transaction writes on SQLite; null on other databases. */
    sqlite;
    constructor(ds) {
        this.ds = ds;
        this.sqlite = sqlite_writer_1.SqliteWriter.for(ds);
    }
    async insert(target, rows) {
        if (this.sqlite)
            this.sqlite.transaction((put) => put(target, rows));
        else
            await this.ds.getRepository(target).insert(rows);
    }
};
exports.RowWriter = RowWriter;
exports.RowWriter = RowWriter = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, typeorm_1.InjectDataSource)()),
    __metadata("design:paramtypes", [typeorm_2.DataSource])
], RowWriter);
//# sourceMappingURL=row-writer.js.map