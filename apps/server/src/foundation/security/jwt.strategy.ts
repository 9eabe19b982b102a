import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Principal } from './principal';
import { Secrets } from './secrets';
import { SECRETS, TokenClaims, TokenService } from './token.service';

/** passport-jwt checks signature and expiry; the token's row decides the rest (revocation, uses, scope). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(SECRETS) secrets: Secrets, private readonly tokens: TokenService) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // The key the token names (secrets.ts); passport-jwt hands it to jsonwebtoken, which takes a KeyObject.
      secretOrKeyProvider: (_: unknown, token: string, done: (e: Error | null, key?: string | Buffer) => void) => done(null, secrets.jwt.verifying(token) as unknown as Buffer),
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(claims: TokenClaims): Promise<Principal> {
    return this.tokens.authenticate(claims);
  }
}
