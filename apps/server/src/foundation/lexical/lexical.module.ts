import { Logger, Module } from '@nestjs/common';
import { join } from 'node:path';
import { ConfigService } from '../config/config.service';
import { LEXICAL_INDEX } from './lexical-index.token';
import { LexicalIndex } from './lexical-index';
import { WordNetExpander } from './wordnet';

@Module({
  providers: [
    {
      provide: LEXICAL_INDEX,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const started = Date.now();
        // The parsed WordNet graph is cached in the data dir: about 80 ms to load instead of about 1.5 s to parse.
        const expander = WordNetExpander.fromPackage({ cacheDir: join(config.values.dataDir, 'cache') });
        new Logger('lexical').log(`WordNet loaded in ${Date.now() - started} ms`);
        return new LexicalIndex({ expander });
      },
    },
  ],
  exports: [LEXICAL_INDEX],
})
export class LexicalModule {}
