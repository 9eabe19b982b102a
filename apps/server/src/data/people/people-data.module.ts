import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { People } from './people';
import { PersonEntity } from './person.entity';

/** People in the loop, as the session and people layers read and write them. */
@Module({ imports: [TypeOrmModule.forFeature([PersonEntity])], providers: [People], exports: [People] })
export class PeopleDataModule {}
