"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AgentSearchService = void 0;
const common_1 = require("@nestjs/common");
const agent_registry_service_1 = require("../../data/registry/agent-registry.service");
const embedder_port_1 = require("../../foundation/embeddings/embedder.port");
const lexical_index_1 = require("../../foundation/lexical/lexical-index");
const lexical_index_token_1 = require("../../foundation/lexical/lexical-index.token");
const vector_store_port_1 = require("../../foundation/vector-store/vector-store.port");
const agent_documents_1 = require("./agent-documents");
const rank_fusion_1 = require("./rank-fusion");
const word_vector_fusion_1 = require("./word-vector-fusion");
const DEFAULT_TOP_K = 10;
// Score fusion gathers its candidate agents from both lists; a fixed, deep dense list keeps that set stable.
const SCORE_FUSION_DEPTH = 200;
/**
 * Finds agents by meaning: a lexical retriever (always there) and, when a model is loaded, a dense one, fused by
 * rank. Indexes are updated before a registration returns, and rebuilt at start-up.
 */
let AgentSearchService = class AgentSearchService {
    registry;
    lexical;
    embedder;
    vectors;
    logger = new common_1.Logger('agent-search');
    /** Each agent's indexed documents, to remove them on update and to name what a hit matched. */
    docs = new Map();
    collection;
    constructor(registry, lexical, embedder, vectors) {
        this.registry = registry;
        this.lexical = lexical;
        this.embedder = embedder;
        this.vectors = vectors;
        this.collection = embedder ? (0, vector_store_port_1.collectionName)(embedder.modelId, embedder.dimension) : null;
    }
    get mode() {
        return this.embedder ? 'dense+lexical' : 'lexical';
    }
    async onApplicationBootstrap() {
        const started = Date.now();
        if (this.collection && this.embedder)
            await this.vectors.ensureCollection(this.collection, this.embedder.dimension);
        let agents = 0;
        let docs = 0;
        for await (const batch of this.registry.all()) {
            for (const agent of batch)
                docs += this.indexLexical((0, agent_documents_1.agentDocuments)(agent));
            agents += batch.length;
        }
        // Vectors persist in the store; re-embed only when they do not match the registry (new model, lost index).
        if (this.collection && (await this.vectors.count(this.collection)) !== docs) {
            for await (const batch of this.registry.all(256))
                await this.indexDense(batch.flatMap(agent_documents_1.agentDocuments));
        }
        this.logger.log(`indexed ${agents} agents (${docs} documents, ${this.mode}) in ${Date.now() - started} ms`);
    }
    /** (Re)indexes an agent; awaited by registration and update so the agent is searchable when they return. */
    async index(agent) {
        this.removeLexical(agent.id);
        const docs = (0, agent_documents_1.agentDocuments)(agent);
        this.indexLexical(docs);
        if (this.collection) {
            await this.vectors.deleteOwner(this.collection, agent.id);
            await this.indexDense(docs);
        }
    }
    async remove(agentId) {
        this.removeLexical(agentId);
        if (this.collection)
            await this.vectors.deleteOwner(this.collection, agentId);
    }
    async search(q) {
        const topK = q.top_k ?? DEFAULT_TOP_K;
        const allowed = await this.allowedOwners(q);
        // Each agent has several documents: fetch enough documents to fill top_k agents after grouping.
        const depth = topK * 8 + 40;
        const lists = {
            lexical: this.lexical
                .search(q.query, depth, (docId) => allowed((0, agent_documents_1.ownerOf)(docId)))
                .map((h) => ({ owner: (0, agent_documents_1.ownerOf)(h.docId), docId: h.docId, score: h.score })),
        };
        if (this.embedder && this.collection) {
            const [vector] = await this.embedder.embed([q.query]);
            const filter = { excludeOwners: q.exclude, owners: q.online_only ? await this.registry.onlineIds() : undefined };
            const byScore = this.embedder.fusion === 'score';
            const hits = await this.vectors.search(this.collection, vector, byScore ? Math.max(depth, SCORE_FUSION_DEPTH) : depth, filter);
            lists.dense = hits.map((h) => ({ owner: h.owner, docId: h.id, score: h.score }));
        }
        const fused = (this.embedder?.fusion === 'score' && lists.dense
            ? await (0, word_vector_fusion_1.fuseWithWordVectors)(q.query, lists.lexical, lists.dense, (owner) => this.cardText(owner), this.embedder, Math.max(topK, word_vector_fusion_1.WORD_VECTOR_CANDIDATES))
            : (0, rank_fusion_1.fuseByRank)(lists)).slice(0, topK);
        const agents = new Map((await this.registry.getMany(fused.map((r) => r.owner))).map((a) => [a.id, a]));
        return fused.flatMap((r) => {
            const agent = agents.get(r.owner);
            if (!agent)
                return [];
            return [{ agent: (0, agent_registry_service_1.toAgentView)(agent), score: round(r.score), matched: this.fieldOf(r.docId), signals: roundAll(r.signals) }];
        });
    }
    async allowedOwners(q) {
        const excluded = new Set(q.exclude ?? []);
        const online = q.online_only ? new Set(await this.registry.onlineIds()) : null;
        return (owner) => !excluded.has(owner) && (!online || online.has(owner));
    }
    indexLexical(docs) {
        for (const d of docs)
            this.lexical.add(d.id, d.text);
        if (docs.length > 0)
            this.docs.set(docs[0].owner, docs);
        return docs.length;
    }
    removeLexical(agentId) {
        for (const d of this.docs.get(agentId) ?? [])
            this.lexical.remove(d.id);
        this.docs.delete(agentId);
    }
    /** The agent's documents as one text: its whole card. */
    cardText(owner) {
        return (this.docs.get(owner) ?? []).map((d) => d.text).join('. ');
    }
    fieldOf(docId) {
        return this.docs.get((0, agent_documents_1.ownerOf)(docId))?.find((d) => d.id === docId)?.field ?? 'description';
    }
    async indexDense(docs) {
        if (!this.embedder || !this.collection || docs.length === 0)
            return;
        const vectors = await this.embedder.embed(docs.map((d) => d.text));
        await this.vectors.upsert(this.collection, docs.map((d, i) => ({ id: d.id, owner: d.owner, vector: vectors[i], payload: { field: d.field } })));
    }
};
exports.AgentSearchService = AgentSearchService;
exports.AgentSearchService = AgentSearchService = __decorate([
    (0, common_1.Injectable)(),
    __param(1, (0, common_1.Inject)(lexical_index_token_1.LEXICAL_INDEX)),
    __param(2, (0, common_1.Inject)(embedder_port_1.EMBEDDER)),
    __param(3, (0, common_1.Inject)(vector_store_port_1.VECTOR_STORE)),
    __metadata("design:paramtypes", [agent_registry_service_1.AgentRegistry,
        lexical_index_1.LexicalIndex, Object, Object])
], AgentSearchService);
const round = (x) => Math.round(x * 1e4) / 1e4;
const roundAll = (s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v)]));
//# sourceMappingURL=agent-search.service.js.map