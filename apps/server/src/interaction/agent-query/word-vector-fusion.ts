import type { Embedder } from '../../foundation/embeddings/embedder.port';
import { bestPerOwner, FusedResult, RankedHit } from './rank-fusion';
import { fuseByScore } from './score-fusion';

/** How much each second-stage signal counts; each is scaled to 0..1 over the candidates first. */
export interface ScoreFusionWeights {
  lexical: number;
  card: number;
  words: number;
  doc: number;
}

/**
 * The default without a downloaded model (`HybridEmbedder`: USE Lite sentence vectors, word-vector word match).
 * Chosen on dev data only (the dev split, the dev goals' needs and a tuning set written after the freeze, 217
 * queries; never on test): Top-1 there 0.811 against 0.770 for the word vectors alone at their own best weights; the
 * mean over every +-20% change of each weight is 0.802 (0.783-0.820).
 */
export const WORD_VECTOR_FUSION: ScoreFusionWeights = { lexical: 0.2, card: 0.2, words: 0.2, doc: 0.4 };

/**
 * The weights for word vectors alone (SIF averages as the sentence vectors), the previous default: on the same
 * dev data 0.751-0.774 for lexical 0.2-0.3, card 0.45-0.55 and words 0.2-0.3; a document signal did not help them.
 */
export const WORD_VECTORS_ONLY_FUSION: ScoreFusionWeights = { lexical: 0.25, card: 0.5, words: 0.25, doc: 0 };

/** One search's first stage: the query, its vector, both ranked lists, and where to read a candidate's card. */
export interface ScoreFusionInput {
  query: string;
  queryVector: Float32Array;
  lexical: RankedHit[];
  dense: RankedHit[];
  cardText: (owner: string) => string;
}

/** Candidate agents taken from the top of each first-stage list (more when a search asks for more results). */
export const WORD_VECTOR_CANDIDATES = 30;

/**
 * Second stage of search for the shipped models (and word vectors alone). The first stage (BM25 over documents, and
 * the vector store's nearest documents) only gathers candidate agents; each candidate is then scored on its whole
 * card (description, skills and every capability as one text), since a request often names one thing the
 * description says and another a capability says:
 * - lexical: the agent's best BM25 document score, divided by the query's best;
 * - card: cosine between the query's and the card's embeddings (USE Lite; SIF averages with word vectors alone);
 * - words: word-level late interaction between query and card (`Embedder.wordMatch`);
 * - doc: the agent's best document cosine from the first stage (a capability that answers the request alone).
 * With word vectors only, on those dev queries Top-1 went from 0.66 (document BM25 fused with document cosines) to
 * 0.75; the document signal adds nothing there, but carries most of a sentence model's advantage.
 *
 * Costs one embedding and one word match per candidate agent (at most 60 for a search of the top 10), independent
 * of the registry's size. `signals` keeps the first stage's raw scores (BM25, best document cosine), which callers
 * compare with fixed thresholds.
 */
export async function fuseWithWordVectors(
  search: ScoreFusionInput,
  embedder: Embedder,
  perList = WORD_VECTOR_CANDIDATES,
  weights = WORD_VECTOR_FUSION,
): Promise<FusedResult[]> {
  const { query, queryVector: q, lexical, dense, cardText } = search;
  const denseByOwner = bestPerOwner(dense);
  const first = new Map<string, RankedHit>();
  for (const h of [...bestPerOwner(lexical).slice(0, perList), ...denseByOwner.slice(0, perList)]) {
    if (!first.has(h.owner)) first.set(h.owner, h);
  }
  const candidates = [...first.values()];
  if (candidates.length === 0) return [];
  const texts = candidates.map((h) => cardText(h.owner));
  const cards = await (embedder.embedRemembered ?? embedder.embed).call(embedder, texts);
  const words = embedder.wordMatch?.(query, texts) ?? [];
  const card = candidates.map((h, i) => ({ ...h, score: dot(q, cards[i]) }));
  const matched = candidates.map((h, i) => ({ ...h, score: words[i] ?? 0 }));
  const byScore = (list: RankedHit[]) => [...list].sort((a, b) => b.score - a.score);
  const denseBest = new Map(denseByOwner.map((h) => [h.owner, h.score]));
  const doc = candidates.filter((h) => denseBest.has(h.owner)).map((h) => ({ ...h, score: denseBest.get(h.owner) as number }));
  const fused = fuseByScore([
    { name: 'lexical', hits: lexical.filter((h) => first.has(h.owner)), weight: weights.lexical, scale: 'max' },
    { name: 'card', hits: byScore(card), weight: weights.card, scale: 'min-max' },
    { name: 'words', hits: byScore(matched), weight: embedder.wordMatch ? weights.words : 0, scale: 'min-max' },
    { name: 'doc', hits: byScore(doc), weight: weights.doc, scale: 'min-max' },
  ]);
  return fused.map((r) => ({
    ...r,
    signals: { ...(r.signals.lexical !== undefined && { lexical: r.signals.lexical }), ...(denseBest.has(r.owner) && { dense: denseBest.get(r.owner) as number }) },
  }));
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
