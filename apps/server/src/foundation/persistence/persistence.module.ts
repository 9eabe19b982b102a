import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigService } from '../config/config.service';
import { dataSourceOptions } from './data-source';
import { WalCheckpointer } from './wal-checkpointer';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({ ...dataSourceOptions(config.values), logging: ['error', 'migration'] }),
    }),
  ],
  providers: [WalCheckpointer],
})
export class PersistenceModule {}
