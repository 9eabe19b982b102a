"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const better_sqlite3_1 = __importDefault(require("better-sqlite3"));
const node_http_1 = require("node:http");
// Baseline for registration throughput (run as its own process): a plain node:http server that parses the JSON
// card and inserts it into SQLite (WAL). No validation, auth, tokens or search indexing.
const db = new better_sqlite3_1.default(process.argv[3]);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE agents (id INTEGER PRIMARY KEY, name TEXT UNIQUE, card TEXT)');
const insert = db.prepare('INSERT INTO agents (name, card) VALUES (?, ?)');
(0, node_http_1.createServer)((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
        const card = JSON.parse(body);
        const { lastInsertRowid } = insert.run(card.name, body);
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ agent: { id: String(lastInsertRowid) } }));
    });
}).listen(Number(process.argv[2]), '127.0.0.1', () => process.send?.('ready'));
//# sourceMappingURL=raw-registry.js.map