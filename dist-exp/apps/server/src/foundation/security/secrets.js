"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadSecrets = loadSecrets;
const common_1 = require("@nestjs/common");
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
/**
 * The admin bootstrap token and the JWT signing secret: from the environment when set, otherwise generated on
 * first start and kept in the data dir (mode 0600) so that restarts keep every issued token valid.
 */
function loadSecrets(config, logger = new common_1.Logger('security')) {
    (0, node_fs_1.mkdirSync)(config.dataDir, { recursive: true });
    const adminFile = (0, node_path_1.join)(config.dataDir, 'admin.token');
    const adminToken = config.adminToken ?? readOrCreate(adminFile, () => logger.warn(`generated admin token written to ${adminFile}`));
    const jwtSecret = config.jwtSecret ?? readOrCreate((0, node_path_1.join)(config.dataDir, 'jwt.secret'));
    return { adminToken, jwtSecret, jwtKey: (0, node_crypto_1.createSecretKey)(Buffer.from(jwtSecret)) };
}
function readOrCreate(path, onCreate) {
    if ((0, node_fs_1.existsSync)(path))
        return (0, node_fs_1.readFileSync)(path, 'utf8').trim();
    const value = (0, node_crypto_1.randomBytes)(32).toString('base64url');
    (0, node_fs_1.writeFileSync)(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
    onCreate?.();
    return value;
}
//# sourceMappingURL=secrets.js.map