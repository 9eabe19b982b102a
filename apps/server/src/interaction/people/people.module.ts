import { Module } from '@nestjs/common';
import { PeopleDataModule } from '../../data/people/people-data.module';
import { SessionModule } from '../session/session.module';
import { PeopleController } from './people.controller';
import { PeopleService } from './people.service';

/** People in the loop over REST: persons and their tokens, and approvals. */
@Module({ imports: [PeopleDataModule, SessionModule], controllers: [PeopleController], providers: [PeopleService] })
export class PeopleModule {}
