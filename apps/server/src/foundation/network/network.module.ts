import { Global, Module } from '@nestjs/common';
import { Emitter } from './emitter.port';
import { SocketEmitter } from './socket.emitter';

@Global()
@Module({
  providers: [SocketEmitter, { provide: Emitter, useExisting: SocketEmitter }],
  exports: [SocketEmitter, Emitter],
})
export class NetworkModule {}
