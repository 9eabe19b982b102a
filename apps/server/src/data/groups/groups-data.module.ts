import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RowWriter } from '../../foundation/persistence/row-writer';
import { GroupCommitter, SqliteGroupCommitter, TypeOrmGroupCommitter } from './group-committer';
import { CheckpointRetention } from '../checkpoints/checkpoint-retention';
import { GroupStore } from './group-store';

@Module({
  providers: [
    GroupStore,
    CheckpointRetention,
    {
      provide: GroupCommitter,
      inject: [getDataSourceToken(), RowWriter],
      useFactory: (ds: DataSource, writer: RowWriter) => (writer.sqlite ? new SqliteGroupCommitter(writer.sqlite) : new TypeOrmGroupCommitter(ds)),
    },
  ],
  exports: [GroupStore],
})
export class GroupsDataModule {}
