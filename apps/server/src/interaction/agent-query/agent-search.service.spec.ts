import type { AgentEntity } from '../../data/registry/agent.entity';
import type { AgentRegistry } from '../../data/registry/agent-registry.service';
import type { Embedder } from '../../foundation/embeddings/embedder.port';
import { LexicalIndex } from '../../foundation/lexical/lexical-index';
import type { VectorPoint, VectorStore } from '../../foundation/vector-store/vector-store.port';
import { AgentSearchService } from './agent-search.service';
import { Metrics } from '../../foundation/metrics/metrics';

/** A named double of the vector store: points in a Map, writes in call order. */
class MapVectorStore implements Partial<VectorStore> {
  readonly points = new Map<string, VectorPoint>();
  async ensureCollection(): Promise<void> {}
  async count(): Promise<number> {
    return this.points.size;
  }
  async upsert(_: string, points: VectorPoint[]): Promise<void> {
    for (const p of points) this.points.set(p.id, p);
  }
  async deleteOwner(_: string, owner: string): Promise<void> {
    for (const [id, p] of this.points) if (p.owner === owner) this.points.delete(id);
  }
}

/** A named double of a sentence model whose batches of more than four texts (a re-embedding page) wait until the test lets them go. */
class GatedEmbedder implements Embedder {
  readonly modelId = 'gated';
  readonly dimension = 1;
  readonly fusion = 'rank' as const;
  private release!: () => void;
  readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  open(): void {
    this.release();
  }
  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length > 4) await this.gate;
    return texts.map(() => Float32Array.of(1));
  }
}

const agent = (id: string, capabilities: string[]): AgentEntity =>
  ({ id, name: id, description: `${id} agent`, skills: [], capabilities: capabilities.map((c) => ({ name: c, description: `does ${c}` })) }) as unknown as AgentEntity;

describe('AgentSearchService re-embedding after start-up', () => {
  it('leaves what index and remove wrote meanwhile alone, and ends with exactly the registry', async () => {
    const rows = [agent('a', ['x']), agent('b', ['x', 'y']), agent('c', ['x'])];
    const registry = {
      async *all() {
        yield rows.map((r) => ({ ...r }) as AgentEntity); // the registry as it was when the page was read
      },
    } as unknown as AgentRegistry;
    const store = new MapVectorStore();
    const embedder = new GatedEmbedder();
    const search = new AgentSearchService(registry, new LexicalIndex(), embedder, store as unknown as VectorStore, new Metrics());

    await search.onApplicationBootstrap();
    expect(search.mode).toBe('lexical');
    expect(search.denseUnavailable).toMatch(/re-embedding 7 documents/);
    // While the page is being embedded: b loses a capability, c is deleted.
    await search.write(await search.prepare(agent('b', ['x'])));
    await search.remove('c');
    embedder.open();
    await search.beforeApplicationShutdown();

    expect([...store.points.keys()].sort()).toEqual(['a#c0', 'a#d', 'b#c0', 'b#d']);
    expect(search.denseUnavailable).toBeNull();
    expect(search.mode).toBe('dense+lexical');
  });
});

describe('AgentSearchService without a model (lexical only)', () => {
  it('scores by BM25 over the best, so a weak match stays far behind the one that matches (not 0.016 behind by rank)', async () => {
    const rows = [
      { ...agent('counter', []), description: 'counts the words in a text' },
      { ...agent('converter', []), description: 'converts miles into kilometres, a text of units' },
    ].map((a) => ({ ...a, lastSeen: null, createdAt: 0, updatedAt: 0 })) as AgentEntity[];
    const registry = {
      async *all() {
        yield rows;
      },
      getMany: async (ids: string[]) => rows.filter((r) => ids.includes(r.id)),
    } as unknown as AgentRegistry;
    const search = new AgentSearchService(registry, new LexicalIndex(), null, new MapVectorStore() as unknown as VectorStore, new Metrics());
    await search.onApplicationBootstrap();

    const results = await search.search({ query: 'count the words in a text' });
    expect(results.map((r) => r.agent.id)).toEqual(['counter', 'converter']);
    expect(results[0].score).toBe(1);
    expect(results[1].score).toBeCloseTo((results[1].signals?.lexical as number) / (results[0].signals?.lexical as number), 3);
    expect(results[1].score).toBeLessThan(0.5);
  });
});
