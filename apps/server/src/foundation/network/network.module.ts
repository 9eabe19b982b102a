import { Global, Module } from '@nestjs/common';
import { Emitter } from './emitter.port';
import { RateLimits } from './rate-limits';
import { SocketEmitter } from './socket.emitter';

@Global()
@Module({
  providers: [SocketEmitter, { provide: Emitter, useExisting: SocketEmitter }, RateLimits],
  exports: [SocketEmitter, Emitter, RateLimits],
})
export class NetworkModule {}
