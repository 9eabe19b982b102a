import { Module } from '@nestjs/common';
import { GroupStore } from './group-store';

@Module({ providers: [GroupStore], exports: [GroupStore] })
export class GroupsDataModule {}
