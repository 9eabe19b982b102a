import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThan, MoreThanOrEqual, Not, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AgentStatus, AgentView, ErrorCode, ListAgentsQueryDto, Page, RegisterAgentDto, UpdateAgentDto } from '@ioa/protocol';
import { ApiError } from '../../foundation/http/api-error';
import { iso } from '../../foundation/runtime/time';
import { RowWriter } from '../../foundation/persistence/row-writer';
import { Clock, IdGenerator } from '../../foundation/runtime/runtime.module';
import { AgentEntity } from './agent.entity';

const DEFAULT_MAX_CONCURRENT_GROUPS = 10;

/** The agent registry (data layer): agent cards and their status, nothing about search or tokens. */
@Injectable()
export class AgentRegistry {
  constructor(
    @InjectRepository(AgentEntity) private readonly agents: Repository<AgentEntity>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly writer: RowWriter,
  ) {}

  /** A new agent's row, not yet stored: the caller checks that it can be indexed before `insert` writes it. */
  build(card: RegisterAgentDto): AgentEntity {
    const now = this.clock.now();
    return this.agents.create({
      id: this.ids.next(),
      name: card.name,
      description: card.description,
      capabilities: card.capabilities,
      skills: card.skills ?? [],
      version: card.version ?? null,
      owner: card.owner ?? null,
      interface: card.interface ?? null,
      metadata: card.metadata ?? {},
      acceptingInvites: card.accepting_invites ?? true,
      coordinates: card.coordinates ?? false,
      features: card.features ? [...new Set(card.features)] : null,
      maxConcurrentGroups: card.max_concurrent_groups ?? DEFAULT_MAX_CONCURRENT_GROUPS,
      status: 'offline',
      lastSeen: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  async insert(agent: AgentEntity): Promise<void> {
    if (await this.agents.existsBy({ name: agent.name })) throw duplicateName(agent.name);
    try {
      // Insert, not save: save would first SELECT by id to decide between insert and update.
      await this.writer.insert(AgentEntity, [agent]);
    } catch (e) {
      // Two registrations racing for one name: the unique index decides.
      if (/unique|duplicate/i.test(String(e))) throw duplicateName(agent.name);
      throw e;
    }
  }

  async get(id: string): Promise<AgentEntity> {
    const agent = await this.agents.findOneBy({ id });
    if (!agent) throw ApiError.notFound('agent', id);
    return agent;
  }

  /** The agent, or null when there is none (it was deleted). */
  find(id: string): Promise<AgentEntity | null> {
    return this.agents.findOneBy({ id });
  }

  /** Ids of the agents changed at or after `since` (epoch ms). */
  async changedSince(since: number): Promise<string[]> {
    return (await this.agents.find({ select: { id: true }, where: { updatedAt: MoreThanOrEqual(since) } })).map((a) => a.id);
  }

  /** Agents by id, in the order asked, skipping unknown ids. */
  async getMany(ids: string[]): Promise<AgentEntity[]> {
    if (ids.length === 0) return [];
    const found = new Map((await this.agents.findBy({ id: In(ids) })).map((a) => [a.id, a]));
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  async list(q: ListAgentsQueryDto): Promise<Page<AgentEntity>> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const qb = this.agents.createQueryBuilder('a').orderBy('a.name', 'ASC').take(limit).skip(offset);
    if (q.status) qb.andWhere('a.status = :status', { status: q.status });
    if (q.owner) qb.andWhere('a.owner = :owner', { owner: q.owner });
    if (q.name_prefix) qb.andWhere(`a.name LIKE :prefix ESCAPE '\\'`, { prefix: `${escapeLike(q.name_prefix)}%` });
    // skills are a JSON array of strings: match the quoted tag.
    if (q.skill) qb.andWhere(`a.skills LIKE :skill ESCAPE '\\'`, { skill: `%${escapeLike(JSON.stringify(q.skill))}%` });
    const [items, total] = await qb.getManyAndCount();
    return { items, total, limit, offset };
  }

  /**
   * Every agent, in pages, for rebuilding indexes without holding all rows twice. Paged by id, not offset, so agents
   * deleted or added between pages never make a later agent be skipped.
   */
  async *all(batch = 1000): AsyncGenerator<AgentEntity[]> {
    for (let after = ''; ; ) {
      const rows = await this.agents.find({ where: { id: MoreThan(after) }, order: { id: 'ASC' }, take: batch });
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1].id;
    }
  }

  /** The agent with `patch` applied, not yet stored (see `build`); `changes` is what `save` writes. */
  async patched(id: string, patch: UpdateAgentDto): Promise<{ agent: AgentEntity; changes: Partial<AgentEntity> }> {
    const fields: Partial<AgentEntity> = {
      description: patch.description, capabilities: patch.capabilities, skills: patch.skills, version: patch.version,
      owner: patch.owner, interface: patch.interface, metadata: patch.metadata, acceptingInvites: patch.accepting_invites,
      coordinates: patch.coordinates, maxConcurrentGroups: patch.max_concurrent_groups, features: patch.features ? [...new Set(patch.features)] : undefined,
    };
    const changes: Partial<AgentEntity> = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    changes.updatedAt = this.clock.now();
    return { agent: { ...(await this.get(id)), ...changes }, changes };
  }

  /**
   * Writes only the changed card fields: status and presence, which others change meanwhile (a disable, a connection),
   * are never written back from a stale copy, and an agent deleted meanwhile is not brought back.
   */
  async save(id: string, changes: Partial<AgentEntity>): Promise<void> {
    const { affected } = await this.agents.update({ id }, changes as QueryDeepPartialEntity<AgentEntity>);
    if (!affected) throw ApiError.notFound('agent', id);
  }

  async remove(id: string): Promise<AgentEntity> {
    const agent = await this.get(id);
    await this.agents.delete({ id });
    return agent;
  }

  async setStatus(id: string, status: AgentStatus): Promise<AgentEntity> {
    const agent = await this.get(id);
    const now = this.clock.now();
    await this.agents.update({ id }, { status, lastSeen: status === 'online' ? now : agent.lastSeen, updatedAt: now });
    return { ...agent, status };
  }

  /** Follows the agent's sockets; never touches a disabled agent. */
  async markPresence(id: string, online: boolean): Promise<void> {
    const now = this.clock.now();
    await this.agents.update({ id, status: Not('disabled') }, { status: online ? 'online' : 'offline', lastSeen: now });
  }

  /** At start-up nobody is connected yet: agents left `online` by a crash become `offline` until they reconnect. */
  async markAllOffline(): Promise<void> {
    await this.agents.update({ status: 'online' }, { status: 'offline' });
  }

  async onlineIds(): Promise<string[]> {
    return this.idsWhere({ online: true });
  }

  /** Ids of the agents that are online and/or coordinate, as asked. */
  async idsWhere(q: { online?: boolean; coordinates?: boolean }): Promise<string[]> {
    const where = { ...(q.online && { status: 'online' as const }), ...(q.coordinates && { coordinates: true }) };
    const rows = await this.agents.find({ select: { id: true }, where });
    return rows.map((r) => r.id);
  }

  count(): Promise<number> {
    return this.agents.count();
  }
}

export function toAgentView(a: AgentEntity): AgentView {
  return {
    id: a.id, name: a.name, description: a.description, capabilities: a.capabilities, skills: a.skills,
    version: a.version, owner: a.owner, interface: a.interface, metadata: a.metadata, accepting_invites: a.acceptingInvites,
    coordinates: a.coordinates, max_concurrent_groups: a.maxConcurrentGroups, features: a.features ?? [], status: a.status, last_seen: iso(a.lastSeen),
    created_at: iso(a.createdAt) as string, updated_at: iso(a.updatedAt) as string,
  };
}

const duplicateName = (name: string) => new ApiError(ErrorCode.CONFLICT, `an agent named ${name} already exists`);
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
