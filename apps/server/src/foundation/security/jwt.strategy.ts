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
    // passport-jwt hands the key to jsonwebtoken as it is, which takes a KeyObject; its types only say string | Buffer.
    const secretOrKey = secrets.jwtKey as unknown as Buffer;
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey, algorithms: ['HS256'], ignoreExpiration: false });
  }

  validate(claims: TokenClaims): Promise<Principal> {
    return this.tokens.authenticate(claims);
  }
}
