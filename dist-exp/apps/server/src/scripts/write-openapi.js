"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
require("reflect-metadata");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const bootstrap_1 = require("../bootstrap");
const config_1 = require("../foundation/config/config");
/** Writes docs/openapi.json from the DTOs, by building the app against a throw-away data dir (nothing listens). */
async function main() {
    const dataDir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'ioa-openapi-'));
    try {
        const app = await (0, bootstrap_1.createApp)((0, config_1.loadConfig)({ IOA_DATA_DIR: dataDir, IOA_EMBEDDING_MODEL: 'none', IOA_LOG_LEVEL: 'error' }));
        const target = (0, node_path_1.resolve)(__dirname, '../../../../../docs/openapi.json');
        (0, node_fs_1.writeFileSync)(target, `${JSON.stringify((0, bootstrap_1.openApiDocument)(app), null, 2)}\n`);
        await app.close();
        console.log(`wrote ${target}`);
    }
    finally {
        (0, node_fs_1.rmSync)(dataDir, { recursive: true, force: true });
    }
}
main().catch((e) => {
    console.error(`write-openapi failed: ${e.message}`);
    process.exit(1);
});
//# sourceMappingURL=write-openapi.js.map