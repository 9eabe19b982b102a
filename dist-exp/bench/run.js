"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const BENCHES = {
    search: () => Promise.resolve().then(() => __importStar(require('./search.bench'))).then((m) => m.run()),
    sessions: () => Promise.resolve().then(() => __importStar(require('./sessions.bench'))).then((m) => m.run()),
};
async function main() {
    const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
    const names = wanted.length ? wanted : Object.keys(BENCHES);
    const dir = (0, node_path_1.join)(__dirname, '../../bench/results');
    (0, node_fs_1.mkdirSync)(dir, { recursive: true });
    for (const name of names) {
        const bench = BENCHES[name];
        if (!bench)
            throw new Error(`unknown benchmark ${name} (known: ${Object.keys(BENCHES).join(', ')})`);
        const started = Date.now();
        const result = { ...(await bench()), machine: machine(), at: new Date().toISOString(), seconds: (Date.now() - started) / 1000 };
        (0, node_fs_1.writeFileSync)((0, node_path_1.join)(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
        console.log(`${name}: written to bench/results/${name}.json in ${result.seconds} s`);
    }
}
function machine() {
    const os = require('node:os');
    return { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}
main().catch((e) => {
    console.error(e.stack);
    process.exit(1);
});
//# sourceMappingURL=run.js.map