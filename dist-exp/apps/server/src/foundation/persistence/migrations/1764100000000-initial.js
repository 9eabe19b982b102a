"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Initial1764100000000 = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("./columns");
class Initial1764100000000 {
    name = 'Initial1764100000000';
    async up(q) {
        await q.createTable(new typeorm_1.Table({
            name: 'agents',
            columns: [
                (0, columns_1.id)('id'), (0, columns_1.str)('name', 63), (0, columns_1.text)('description'), (0, columns_1.text)('capabilities'), (0, columns_1.text)('skills'), (0, columns_1.str)('version', 64, true),
                (0, columns_1.str)('owner', 200, true), (0, columns_1.text)('interface', true), (0, columns_1.text)('metadata'), { name: 'acceptingInvites', type: 'boolean' },
                (0, columns_1.int)('maxConcurrentGroups'), (0, columns_1.str)('status', 16), (0, columns_1.time)('lastSeen', true), (0, columns_1.time)('createdAt'), (0, columns_1.time)('updatedAt'),
            ],
            indices: [
                new typeorm_1.TableIndex({ columnNames: ['name'], isUnique: true }),
                new typeorm_1.TableIndex({ columnNames: ['owner'] }),
                new typeorm_1.TableIndex({ columnNames: ['status'] }),
            ],
        }));
        await q.createTable(new typeorm_1.Table({
            name: 'tokens',
            columns: [
                (0, columns_1.id)('jti'), (0, columns_1.str)('kind', 16), (0, columns_1.str)('role', 16), (0, columns_1.str)('subject', 36, true), (0, columns_1.str)('label', 200, true), (0, columns_1.text)('scope', true),
                (0, columns_1.int)('maxUses', true), (0, columns_1.int)('uses'), (0, columns_1.str)('pairJti', 36, true), (0, columns_1.time)('expiresAt'), (0, columns_1.time)('revokedAt', true), (0, columns_1.time)('createdAt'),
            ],
            indices: [new typeorm_1.TableIndex({ columnNames: ['subject'] })],
        }));
        await q.createTable(new typeorm_1.Table({
            name: 'vectors',
            columns: [(0, columns_1.id)('collection', 100), (0, columns_1.id)('id', 100), (0, columns_1.str)('owner', 64), (0, columns_1.text)('payload'), (0, columns_1.text)('vector')],
            indices: [new typeorm_1.TableIndex({ columnNames: ['collection', 'owner'] })],
        }));
    }
    async down(q) {
        for (const table of ['vectors', 'tokens', 'agents'])
            await q.dropTable(table);
    }
}
exports.Initial1764100000000 = Initial1764100000000;
//# sourceMappingURL=1764100000000-initial.js.map