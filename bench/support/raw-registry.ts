import Database from 'better-sqlite3';
import { createServer } from 'node:http';

// Baseline for registration throughput (run as its own process): a plain node:http server that parses the JSON
// card and inserts it into SQLite (WAL). No validation, auth, tokens or search indexing.
const db = new Database(process.argv[3]);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE agents (id INTEGER PRIMARY KEY, name TEXT UNIQUE, card TEXT)');
const insert = db.prepare('INSERT INTO agents (name, card) VALUES (?, ?)');

createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const card = JSON.parse(body);
    const { lastInsertRowid } = insert.run(card.name, body);
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ agent: { id: String(lastInsertRowid) } }));
  });
}).listen(Number(process.argv[2]), '127.0.0.1', () => process.send?.('ready'));
