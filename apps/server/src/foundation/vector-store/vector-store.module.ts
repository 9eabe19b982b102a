import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ConfigService } from '../config/config.service';
import { EmbeddedVectorStore } from './embedded-vector-store';
import { QdrantVectorStore } from './qdrant-vector-store';
import { VectorEntity } from './vector.entity';
import { VECTOR_STORE, VectorStore } from './vector-store.port';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([VectorEntity])],
  providers: [
    {
      provide: VECTOR_STORE,
      inject: [ConfigService, getRepositoryToken(VectorEntity)],
      useFactory: (config: ConfigService, repo: Repository<VectorEntity>): VectorStore => {
        if (config.values.vectorStore === 'qdrant') return new QdrantVectorStore(config.values.qdrantUrl as string);
        // The saved HNSW graph spares each start a rebuild (minutes at 500k vectors); it is checked against the database.
        return new EmbeddedVectorStore(repo, { indexDir: join(config.values.dataDir, 'vector-index') });
      },
    },
  ],
  exports: [VECTOR_STORE],
})
export class VectorStoreModule {}
