"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.VectorStoreModule = void 0;
const node_path_1 = require("node:path");
const common_1 = require("@nestjs/common");
const typeorm_1 = require("@nestjs/typeorm");
const config_service_1 = require("../config/config.service");
const embedded_vector_store_1 = require("./embedded-vector-store");
const qdrant_vector_store_1 = require("./qdrant-vector-store");
const vector_entity_1 = require("./vector.entity");
const vector_store_port_1 = require("./vector-store.port");
let VectorStoreModule = class VectorStoreModule {
};
exports.VectorStoreModule = VectorStoreModule;
exports.VectorStoreModule = VectorStoreModule = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({
        imports: [typeorm_1.TypeOrmModule.forFeature([vector_entity_1.VectorEntity])],
        providers: [
            {
                provide: vector_store_port_1.VECTOR_STORE,
                inject: [config_service_1.ConfigService, (0, typeorm_1.getRepositoryToken)(vector_entity_1.VectorEntity)],
                useFactory: (config, repo) => {
                    if (config.values.vectorStore === 'qdrant')
                        return new qdrant_vector_store_1.QdrantVectorStore(config.values.qdrantUrl);
                    // The saved HNSW graph spares each start a rebuild (minutes at 500k vectors); it is checked against the database.
                    return new embedded_vector_store_1.EmbeddedVectorStore(repo, { indexDir: (0, node_path_1.join)(config.values.dataDir, 'vector-index') });
                },
            },
        ],
        exports: [vector_store_port_1.VECTOR_STORE],
    })
], VectorStoreModule);
//# sourceMappingURL=vector-store.module.js.map