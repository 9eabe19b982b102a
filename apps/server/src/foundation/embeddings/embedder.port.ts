/** Turns text into vectors; the model runtime sits behind this port so services and tests never touch it directly. */
export interface Embedder {
  readonly modelId: string;
  readonly dimension: number;
  /** Mean-pooled, L2-normalised vectors, one per text, batched internally. */
  embed(texts: string[]): Promise<Float32Array[]>;
  /**
   * How search combines its similarities with lexical scores: by rank for a sentence model; by score for word
   * vectors, whose rankings alone are weak but whose similarities still tell a near match from a far one.
   */
  readonly fusion: 'rank' | 'score';
  /**
   * Word-level evidence for score fusion (word vectors): per text, how well the text's words answer each of the
   * query's words, in [0, 1]. A sentence model has no such thing.
   */
  wordMatch?(query: string, texts: string[]): number[];
  /**
   * `embed` for texts that come back search after search (agent cards scored by score fusion), remembered up to a
   * bound; absent where `embed` is cheap anyway.
   */
  embedRemembered?(texts: string[]): Promise<Float32Array[]>;
}

export const EMBEDDER = Symbol('EMBEDDER');

/** Where and how to load a model; `model` is a model id (looked up under `modelsDir`) or a path to a model folder. */
export interface EmbedderLoadOptions {
  model: string;
  modelsDir: string;
  /** False: never touch the network, fail if the files are not on disk. */
  allowRemote: boolean;
  /** Texts per forward pass; bounds memory on large inputs. Default 32. */
  batchSize?: number;
}
