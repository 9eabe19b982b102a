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
exports.WalCheckpointer = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("@nestjs/typeorm");
const typeorm_2 = require("typeorm");
const node_worker_threads_1 = require("node:worker_threads");
/** How often the worker copies the write-ahead log back into the database file: often, so that each copy is short (measured: 100 ms kept commits under 10 ms where 500 ms let them stall up to 17 ms and 3 s up to 37 ms). */
const INTERVAL_MS = 100;
/**
 * Checkpoints SQLite's write-ahead log from a worker thread with its own connection. Copying WAL pages back into
 * the database file (and syncing it) is the slow part of SQLite's WAL mode; left to the writing connection, it
 * happens inside whichever commit crosses the threshold and stalls every group for that long. The main connection
 * keeps a high auto-checkpoint threshold only as a safety net (data-source.ts).
 */
let WalCheckpointer = class WalCheckpointer {
    ds;
    logger = new common_1.Logger('sqlite');
    worker = null;
    constructor(ds) {
        this.ds = ds;
    }
    onApplicationBootstrap() {
        if (this.ds.options.type !== 'better-sqlite3')
            return;
        const worker = new node_worker_threads_1.Worker(WORKER, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), file: this.ds.options.database, intervalMs: INTERVAL_MS } });
        worker.on('message', (m) => this.logger.warn(`checkpoint failed: ${m}`));
        worker.on('error', (e) => this.logger.error(`checkpoint worker stopped: ${e.message}`));
        worker.unref();
        this.worker = worker;
    }
    async onApplicationShutdown() {
        await this.worker?.terminate();
        this.worker = null;
    }
};
exports.WalCheckpointer = WalCheckpointer;
exports.WalCheckpointer = WalCheckpointer = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, typeorm_1.InjectDataSource)()),
    __metadata("design:paramtypes", [typeorm_2.DataSource])
], WalCheckpointer);
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    parentPort.postMessage(String(e && e.message));
  }
}, workerData.intervalMs);
`;
//# sourceMappingURL=wal-checkpointer.js.map