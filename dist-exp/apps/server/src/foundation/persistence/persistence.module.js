"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.PersistenceModule = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("@nestjs/typeorm");
const config_service_1 = require("../config/config.service");
const data_source_1 = require("./data-source");
const row_writer_1 = require("./row-writer");
const wal_checkpointer_1 = require("./wal-checkpointer");
let PersistenceModule = class PersistenceModule {
};
exports.PersistenceModule = PersistenceModule;
exports.PersistenceModule = PersistenceModule = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({
        imports: [
            typeorm_1.TypeOrmModule.forRootAsync({
                inject: [config_service_1.ConfigService],
                useFactory: (config) => ({ ...(0, data_source_1.dataSourceOptions)(config.values), logging: ['error', 'migration'] }),
            }),
        ],
        providers: [wal_checkpointer_1.WalCheckpointer, row_writer_1.RowWriter],
        exports: [row_writer_1.RowWriter],
    })
], PersistenceModule);
//# sourceMappingURL=persistence.module.js.map