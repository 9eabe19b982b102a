import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { PersonView } from '@ioa/protocol';
import { RowWriter } from '../../foundation/persistence/row-writer';
import { iso } from '../../foundation/runtime/time';
import { PersonEntity } from './person.entity';

export const personView = (p: PersonEntity): PersonView => ({ id: p.id, name: p.name, created_at: iso(p.createdAt) as string });

/** The people admins created (data layer). */
@Injectable()
export class People {
  constructor(@InjectRepository(PersonEntity) private readonly rows: Repository<PersonEntity>, private readonly writer: RowWriter) {}

  add(person: PersonEntity): Promise<void> {
    return this.writer.insert(PersonEntity, [person]);
  }

  get(id: string): Promise<PersonEntity | null> {
    return this.rows.findOneBy({ id });
  }

  /** Of `ids`, those that are not people. */
  async unknown(ids: readonly string[]): Promise<string[]> {
    const found = new Set((await this.rows.findBy({ id: In([...new Set(ids)]) })).map((p) => p.id));
    return ids.filter((id) => !found.has(id));
  }

  list(limit: number, offset: number): Promise<[PersonEntity[], number]> {
    return this.rows.findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, take: limit, skip: offset });
  }
}
