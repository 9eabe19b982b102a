import { Global, Logger, Module } from '@nestjs/common';
import { ConfigService } from '../config/config.service';
import { Embedder, EMBEDDER } from './embedder.port';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HybridEmbedder } from './hybrid-embedder';
import { modelIsPresent, TransformersEmbedder } from './transformers-embedder';
import { USE_LITE_MODEL, useLiteDirectory, writeUseLiteModel } from './use-lite-model';
import { WORD_VECTOR_FILE, WordVectorEmbedder } from './word-vector-embedder';

/** What the server embeds with, reported by `/health`: `embedder` is null when search is lexical only. */
export interface EmbeddingState {
  embedder: Embedder | null;
  reason: string | null;
}

/**
 * Decides once at start-up: `none` → lexical only; a named model must load (downloading when online) or start-up
 * fails; the default model is used only if already in the data dir, so start-up never waits on a download. Without
 * it, search uses what ships with the server (`use-lite-en` with the word vectors), which can also be named.
 */
export async function loadEmbedding(config: ConfigService, logger = new Logger('embeddings')): Promise<EmbeddingState> {
  const { model, explicit } = config.values.embedding;
  const { modelsDir } = config.values;
  if (model === 'none') return lexicalOnly(logger, 'IOA_EMBEDDING_MODEL=none');
  if (model === USE_LITE_MODEL) return { embedder: await shippedModels(modelsDir), reason: null };
  if (!explicit && !(await modelIsPresent(model, modelsDir))) {
    const reason = `default model ${model} is not in ${modelsDir} (run: npm run model:pull)`;
    try {
      const embedder = await shippedModels(modelsDir);
      logger.warn(`${reason}; searching with the shipped ${embedder.modelId} sentence model, word vectors and lexical`);
      return { embedder, reason };
    } catch (err) {
      return lexicalOnly(logger, `${reason}; the shipped models did not load: ${(err as Error).message}`);
    }
  }
  const embedder = await TransformersEmbedder.load({ model, modelsDir, allowRemote: explicit });
  logger.log(`embedding model ${embedder.modelId} loaded (dimension ${embedder.dimension})`);
  return { embedder, reason: null };
}

/** The shipped word vectors (apps/server/assets/word-vectors), found from the source tree or the build. */
export function shippedWordVectors(from = __dirname): string | null {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'apps/server/assets/word-vectors');
    if (existsSync(join(candidate, WORD_VECTOR_FILE))) return candidate;
  }
  return null;
}

/** USE Lite (converted from its npm package into the models dir on first use, ~0.2 s) with the word vectors. */
async function shippedModels(modelsDir: string): Promise<HybridEmbedder> {
  const vectors = shippedWordVectors();
  if (!vectors) throw new Error('shipped word vectors not found');
  await writeUseLiteModel(useLiteDirectory(modelsDir));
  const [sentences, words] = await Promise.all([
    TransformersEmbedder.load({ model: USE_LITE_MODEL, modelsDir, allowRemote: false }),
    WordVectorEmbedder.load({ cacheDir: vectors }),
  ]);
  return new HybridEmbedder(sentences, words);
}

function lexicalOnly(logger: Logger, reason: string): EmbeddingState {
  logger.warn(`search is lexical only: ${reason}`);
  return { embedder: null, reason };
}

export const EMBEDDING_STATE = Symbol('EMBEDDING_STATE');

@Global()
@Module({
  providers: [
    { provide: EMBEDDING_STATE, inject: [ConfigService], useFactory: (c: ConfigService) => loadEmbedding(c) },
    { provide: EMBEDDER, inject: [EMBEDDING_STATE], useFactory: (s: EmbeddingState) => s.embedder },
  ],
  exports: [EMBEDDING_STATE, EMBEDDER],
})
export class EmbeddingsModule {}
