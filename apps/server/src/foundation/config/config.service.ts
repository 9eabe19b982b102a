import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './config';

/** Typed configuration, validated once at start-up (see `loadConfig`) and injected wherever a setting is needed. */
export class ConfigService {
  constructor(readonly values: AppConfig) {}
}

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: ConfigService, useValue: new ConfigService(config) }], exports: [ConfigService] };
  }
}
