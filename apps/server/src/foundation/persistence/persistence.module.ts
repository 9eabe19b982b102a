import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigService } from '../config/config.service';
import { DatabaseHealth } from './database-health';
import { dataSourceOptions } from './data-source';
import { RowWriter } from './row-writer';
import { WalCheckpointer } from './wal-checkpointer';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({ ...dataSourceOptions(config.values), logging: ['error', 'migration'] }),
    }),
  ],
  providers: [WalCheckpointer, RowWriter, DatabaseHealth],
  exports: [RowWriter, DatabaseHealth],
})
export class PersistenceModule {}
