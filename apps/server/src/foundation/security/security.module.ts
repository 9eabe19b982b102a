import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule, JwtSecretRequestType } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigService } from '../config/config.service';
import { RestRateLimitGuard } from '../http/rest-rate-limit.guard';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { DataKeys, loadDataKeys } from './data-key';
import { loadSecrets, Secrets } from './secrets';
import { TokenEntity } from './token.entity';
import { SECRETS, TokenService } from './token.service';

@Global()
@Module({
  imports: [
    PassportModule,
    TypeOrmModule.forFeature([TokenEntity]),
    JwtModule.registerAsync({
      inject: [SECRETS],
      extraProviders: [{ provide: SECRETS, inject: [ConfigService], useFactory: (c: ConfigService) => loadSecrets(c.values) }],
      useFactory: ({ jwt }: Secrets) => ({
        // Signing takes the current key; verifying, the key the token names (secrets.ts).
        secretOrKeyProvider: (type: JwtSecretRequestType, token: unknown) => (type === JwtSecretRequestType.SIGN ? jwt.current : jwt.verifying(token)) as never,
        signOptions: { algorithm: 'HS256', keyid: jwt.kid },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    { provide: SECRETS, inject: [ConfigService], useFactory: (c: ConfigService) => loadSecrets(c.values) },
    { provide: DataKeys, inject: [ConfigService], useFactory: (c: ConfigService) => loadDataKeys(c.values) },
    TokenService,
    JwtStrategy,
    // In this order: the rate limit counts per authenticated principal.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RestRateLimitGuard },
  ],
  exports: [TokenService, SECRETS, DataKeys],
})
export class SecurityModule {}
