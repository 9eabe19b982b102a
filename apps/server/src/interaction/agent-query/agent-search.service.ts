import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SearchAgentsDto, SearchResultItem } from '@ioa/protocol';
import { AgentEntity } from '../../data/registry/agent.entity';
import { AgentRegistry, toAgentView } from '../../data/registry/agent-registry.service';
import { Embedder, EMBEDDER } from '../../foundation/embeddings/embedder.port';
import { LexicalIndex } from '../../foundation/lexical/lexical-index';
import { Metrics } from '../../foundation/metrics/metrics';
import { LEXICAL_INDEX } from '../../foundation/lexical/lexical-index.token';
import { collectionName, VECTOR_STORE, VectorStore } from '../../foundation/vector-store/vector-store.port';
import { AgentCardText, agentDocuments, AgentDocument, ownerOf } from './agent-documents';
import { fuseByRank, RankedHit } from './rank-fusion';
import { fuseByScore } from './score-fusion';
import { fuseWithWordVectors, WORD_VECTOR_CANDIDATES } from './word-vector-fusion';

const DEFAULT_TOP_K = 10;
// Score fusion gathers its candidate agents from both lists; a fixed, deep dense list keeps that set stable.
const SCORE_FUSION_DEPTH = 200;

/**
 * Finds agents by meaning: a lexical retriever (always there) and, when a model is loaded, a dense one, fused by
 * rank (or rescored, for the shipped models: `word-vector-fusion.ts`); the lexical one alone scores by BM25 / best.
 * Indexes are updated before a registration returns, and rebuilt at start-up.
 */
@Injectable()
export class AgentSearchService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('agent-search');
  /** Each agent's indexed documents, to remove them on update and to name what a hit matched. */
  private readonly docs = new Map<string, AgentDocument[]>();
  private readonly collection: string | null;
  /** Why dense search is off for now: stored vectors being rebuilt (a new model) after start-up; null when usable. */
  private denseBlocked: string | null = null;
  private reembedding: Promise<void> | null = null;
  /** Agents indexed or removed while re-embedding runs: `index`/`remove` wrote their vectors, so it must not. */
  private readonly touched = new Set<string>();
  private stopping = false;

  constructor(
    private readonly registry: AgentRegistry,
    @Inject(LEXICAL_INDEX) private readonly lexical: LexicalIndex,
    @Inject(EMBEDDER) private readonly embedder: Embedder | null,
    @Inject(VECTOR_STORE) private readonly vectors: VectorStore,
    private readonly metrics: Metrics,
  ) {
    this.collection = embedder ? collectionName(embedder.modelId, embedder.dimension) : null;
    this.built = new Promise((resolve) => (this.markBuilt = resolve));
    metrics.gauge('ioa_search_dense', 'Whether search uses vectors now (0 while stored vectors are re-embedded, or without a model)', [], () => [[{}, this.mode === 'dense+lexical' ? 1 : 0]]);
  }

  get mode(): 'dense+lexical' | 'lexical' {
    return this.embedder && !this.denseBlocked ? 'dense+lexical' : 'lexical';
  }

  /** Null, or why search is lexical only for now although a model is loaded (shown by `/health`). */
  get denseUnavailable(): string | null {
    return this.denseBlocked;
  }

  /** Resolves once the start-up build of the indexes is done (the registry feed applies changes only after it). */
  readonly built: Promise<void>;
  private markBuilt: () => void = () => undefined;

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.build();
    } finally {
      this.markBuilt();
    }
  }

  private async build(): Promise<void> {
    const started = Date.now();
    if (this.collection && this.embedder) await this.vectors.ensureCollection(this.collection, this.embedder.dimension);
    let agents = 0;
    let docs = 0;
    for await (const batch of this.registry.all()) {
      for (const agent of batch) {
        const agentDocs = this.documentsOrSkip(agent);
        docs += this.indexLexical(agentDocs);
        if (agentDocs.length) agents++;
      }
    }
    this.logger.log(`indexed ${agents} agents (${docs} documents, lexical) in ${Date.now() - started} ms`);
    // Vectors persist in the store; re-embed only when they do not match the registry (new model, lost index). That
    // can take minutes (USE Lite: ~400 documents/s), so it runs in the background while search stays lexical.
    if (this.collection && (await this.vectors.count(this.collection)) !== docs) {
      this.denseBlocked = `re-embedding ${docs} documents for ${this.collection}`;
      this.reembedding = this.reembed(docs);
    }
  }

  /** Runs before the database closes: a re-embedding stops after its current batch. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.reembedding;
  }

  private async reembed(docs: number): Promise<void> {
    const started = Date.now();
    let done = 0;
    try {
      for await (const batch of this.registry.all(256)) {
        if (this.stopping) return;
        const batchDocs = batch.flatMap((a) => this.documentsOrSkip(a, false));
        const vectors = await (this.embedder as Embedder).embed(batchDocs.map((d) => d.text));
        const fresh = batch.filter((a) => !this.touched.has(a.id)).map((a) => a.id);
        const keep = new Set(fresh);
        // Each agent's old vectors go first: a capability removed since the last embedding leaves none behind.
        await Promise.all([
          ...fresh.map((id) => this.vectors.deleteOwner(this.collection as string, id)),
          this.writeDense(batchDocs.filter((d) => keep.has(d.owner)), vectors.filter((_, i) => keep.has(batchDocs[i].owner))),
        ]);
        done += batchDocs.length;
        this.denseBlocked = `re-embedding documents for ${this.collection}: ${done} of ${docs} done`;
      }
      this.denseBlocked = null;
      this.logger.log(`re-embedded ${done} documents in ${Date.now() - started} ms; search is dense+lexical`);
    } catch (err) {
      this.denseBlocked = `re-embedding failed after ${done} documents: ${(err as Error).message}`;
      this.logger.error(`${this.denseBlocked}; search stays lexical until a restart`);
    } finally {
      this.touched.clear();
      this.reembedding = null;
    }
  }

  /**
   * Everything indexing an agent needs (documents and their vectors), computed before anything is written, so a card
   * that cannot be indexed is refused before it is stored: a vector store write cannot join a database transaction.
   */
  async prepare(agent: AgentCardText): Promise<PreparedIndex> {
    const docs = agentDocuments(agent);
    const vectors = this.collection && this.embedder ? await this.embedder.embed(docs.map((d) => d.text)) : [];
    return { agentId: agent.id, docs, vectors };
  }

  /** (Re)indexes an agent; awaited by registration and update so the agent is searchable when they return. */
  async write({ agentId, docs, vectors }: PreparedIndex): Promise<void> {
    if (this.reembedding) this.touched.add(agentId);
    this.removeLexical(agentId);
    this.indexLexical(docs);
    if (this.collection) {
      await this.vectors.deleteOwner(this.collection, agentId);
      await this.writeDense(docs, vectors);
    }
  }

  async remove(agentId: string): Promise<void> {
    if (this.reembedding) this.touched.add(agentId);
    this.removeLexical(agentId);
    if (this.collection) await this.vectors.deleteOwner(this.collection, agentId);
  }

  /**
   * Another node changed this agent (`registry-feed.ts`): index it as the database has it now, or drop it if it is
   * gone. Its vectors were written to the shared store by that node; only what this node holds in memory moves.
   */
  async refresh(agentId: string): Promise<void> {
    const agent = await this.registry.find(agentId);
    if (this.reembedding) this.touched.add(agentId);
    this.removeLexical(agentId);
    if (agent) this.indexLexical(this.documentsOrSkip(agent));
    if (this.collection) await this.vectors.reloadOwner(this.collection, agentId);
  }

  async search(q: SearchAgentsDto): Promise<SearchResultItem[]> {
    const done = this.metrics.search.startTimer({ mode: this.mode });
    try {
      return await this.ranked(q);
    } finally {
      done();
    }
  }

  private async ranked(q: SearchAgentsDto): Promise<SearchResultItem[]> {
    const topK = q.top_k ?? DEFAULT_TOP_K;
    const allowed = await this.allowedOwners(q);
    // Each agent has several documents: fetch enough documents to fill top_k agents after grouping.
    const depth = topK * 8 + 40;
    const lists: Record<string, RankedHit[]> = {
      lexical: this.lexical
        .search(q.query, depth, (docId) => allowed(ownerOf(docId)))
        .map((h) => ({ owner: ownerOf(h.docId), docId: h.docId, score: h.score })),
    };
    let vector: Float32Array | undefined;
    if (this.embedder && this.collection && !this.denseBlocked) {
      [vector] = await this.embedder.embed([q.query]);
      const owners = await this.ownersAsked(q);
      const filter = { excludeOwners: q.exclude, owners: owners ? [...owners] : undefined };
      const byScore = this.embedder.fusion === 'score';
      const hits = await this.vectors.search(this.collection, vector, byScore ? Math.max(depth, SCORE_FUSION_DEPTH) : depth, filter);
      lists.dense = hits.map((h) => ({ owner: h.owner, docId: h.id, score: h.score }));
    }
    const fused = (
      this.embedder?.fusion === 'score' && lists.dense && vector
        ? await fuseWithWordVectors(
            { query: q.query, queryVector: vector, lexical: lists.lexical, dense: lists.dense, cardText: (owner) => this.cardText(owner) },
            this.embedder,
            Math.max(topK, WORD_VECTOR_CANDIDATES),
          )
        : lists.dense
          ? fuseByRank(lists)
          // One list: by rank alone, the first and second of a query differ by 0.016 whatever their match, so BM25's
          // margin is kept (a weak match far behind stays far behind, and a contact's bonus cannot lift it).
          : fuseByScore([{ name: 'lexical', hits: lists.lexical, weight: 1, scale: 'max' }])
    ).slice(0, topK);
    const agents = new Map((await this.registry.getMany(fused.map((r) => r.owner))).map((a) => [a.id, a]));
    return fused.flatMap((r) => {
      const agent = agents.get(r.owner);
      if (!agent) return [];
      return [{ agent: toAgentView(agent), score: round(r.score), matched: this.fieldOf(r.docId), signals: roundAll(r.signals) }];
    });
  }

  private async allowedOwners(q: SearchAgentsDto): Promise<(owner: string) => boolean> {
    const excluded = new Set(q.exclude ?? []);
    const owners = await this.ownersAsked(q);
    return (owner) => !excluded.has(owner) && (!owners || owners.has(owner));
  }

  /** The only agents a query may return (online, coordinating), or null when it asks for no such filter. */
  private async ownersAsked(q: SearchAgentsDto): Promise<Set<string> | null> {
    if (!q.online_only && !q.coordinators_only) return null;
    return new Set(await this.registry.idsWhere({ online: q.online_only, coordinates: q.coordinators_only }));
  }

  /**
   * A stored agent's documents, or none (with one log line) when its row cannot be read as a card: start-up serves
   * every other agent rather than fail on one bad row.
   */
  private documentsOrSkip(agent: AgentEntity, log = true): AgentDocument[] {
    try {
      return agentDocuments(agent);
    } catch (e) {
      if (log) this.logger.error(`agent ${agent.id} (${agent.name}) left out of search: its stored card is unreadable (${(e as Error).message})`);
      return [];
    }
  }

  private indexLexical(docs: AgentDocument[]): number {
    for (const d of docs) this.lexical.add(d.id, d.text);
    if (docs.length > 0) this.docs.set(docs[0].owner, docs);
    return docs.length;
  }

  private removeLexical(agentId: string): void {
    for (const d of this.docs.get(agentId) ?? []) this.lexical.remove(d.id);
    this.docs.delete(agentId);
  }

  /** The agent's documents as one text: its whole card. */
  private cardText(owner: string): string {
    return (this.docs.get(owner) ?? []).map((d) => d.text).join('. ');
  }

  private fieldOf(docId: string): string {
    return this.docs.get(ownerOf(docId))?.find((d) => d.id === docId)?.field ?? 'description';
  }

  private async writeDense(docs: AgentDocument[], vectors: Float32Array[]): Promise<void> {
    if (!this.collection || docs.length === 0) return;
    await this.vectors.upsert(this.collection, docs.map((d, i) => ({ id: d.id, owner: d.owner, vector: vectors[i], payload: { field: d.field } })));
  }
}

/** An agent's search documents and their vectors (none without a model), ready to be written. */
export interface PreparedIndex {
  agentId: string;
  docs: AgentDocument[];
  vectors: Float32Array[];
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
const roundAll = (s: Record<string, number>) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v)]));
