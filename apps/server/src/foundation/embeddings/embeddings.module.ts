import { Global, Logger, Module } from '@nestjs/common';
import { ConfigService } from '../config/config.service';
import { Embedder, EMBEDDER } from './embedder.port';
import { modelIsPresent, TransformersEmbedder } from './transformers-embedder';

/** What the server embeds with, reported by `/health`: `embedder` is null when search is lexical only. */
export interface EmbeddingState {
  embedder: Embedder | null;
  reason: string | null;
}

/**
 * Decides once at start-up: `none` → lexical only; a named model must load (downloading when online) or start-up
 * fails; the default model is used only if already in the data dir, so start-up never waits on a download.
 */
export async function loadEmbedding(config: ConfigService, logger = new Logger('embeddings')): Promise<EmbeddingState> {
  const { model, explicit } = config.values.embedding;
  const { modelsDir } = config.values;
  if (model === 'none') return lexicalOnly(logger, 'IOA_EMBEDDING_MODEL=none');
  if (!explicit && !(await modelIsPresent(model, modelsDir))) {
    return lexicalOnly(logger, `default model ${model} is not in ${modelsDir} (run: npm run model:pull)`);
  }
  const embedder = await TransformersEmbedder.load({ model, modelsDir, allowRemote: explicit });
  logger.log(`embedding model ${embedder.modelId} loaded (dimension ${embedder.dimension})`);
  return { embedder, reason: null };
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
