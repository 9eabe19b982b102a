import { Injectable } from '@nestjs/common';
import { CreatePersonDto, ErrorCode, IssuedToken, ParticipantScopeDto, PersonCreated, PersonPage, PersonTokenDto } from '@ioa/protocol';
import { People, personView } from '../../data/people/people';
import { PersonEntity } from '../../data/people/person.entity';
import { ApiError } from '../../foundation/http/api-error';
import { Clock, IdGenerator } from '../../foundation/runtime/runtime.module';
import { Principal } from '../../foundation/security/principal';
import { TokenService } from '../../foundation/security/token.service';

const DAY_S = 24 * 3600;

/** Creates people and their `participant` tokens. */
@Injectable()
export class PeopleService {
  constructor(private readonly people: People, private readonly tokens: TokenService, private readonly clock: Clock, private readonly ids: IdGenerator) {}

  async create(by: Principal, dto: CreatePersonDto): Promise<PersonCreated> {
    if (!dto.name.trim()) throw new ApiError(ErrorCode.VALIDATION, 'name must not be blank', [{ field: 'name', messages: ['name must not be blank'] }]);
    const person = Object.assign(new PersonEntity(), { id: this.ids.next(), name: dto.name.trim(), createdBy: by.id, createdAt: this.clock.now() });
    await this.people.add(person);
    return { person: personView(person), ...(await this.issue(person, dto.scope, dto.ttl_s)) };
  }

  async list(limit: number, offset: number): Promise<PersonPage> {
    const [rows, total] = await this.people.list(limit, offset);
    return { items: rows.map(personView), total, limit, offset };
  }

  async issueToken(id: string, dto: PersonTokenDto): Promise<IssuedToken> {
    const person = await this.people.get(id);
    if (!person) throw ApiError.notFound('person', id);
    return this.issue(person, dto.scope, dto.ttl_s);
  }

  /** Only `groups` and `goals` are kept: a participant's scope never covers everything. */
  private issue(person: PersonEntity, scope: ParticipantScopeDto, ttlS = DAY_S): Promise<IssuedToken> {
    const kept = { ...(scope.groups ? { groups: scope.groups } : {}), ...(scope.goals ? { goals: scope.goals } : {}) };
    return this.tokens.issue({ kind: 'access', role: 'participant', subject: person.id, ttlS, scope: kept, label: person.name });
  }
}
