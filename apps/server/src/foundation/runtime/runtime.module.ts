import { Global, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Scheduler, TimerScheduler } from './scheduler';

/** Time source, injected so that tests and the scheduler (`scheduler.ts`) can control it. */
export abstract class Clock {
  abstract now(): number;
}
export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}

/** Id source, injected so that tests can make ids predictable. */
export abstract class IdGenerator {
  abstract next(): string;
}
export class UuidGenerator extends IdGenerator {
  next(): string {
    return randomUUID();
  }
}

@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: IdGenerator, useClass: UuidGenerator },
    { provide: Scheduler, useFactory: (clock: Clock) => new TimerScheduler(clock), inject: [Clock] },
  ],
  exports: [Clock, IdGenerator, Scheduler],
})
export class RuntimeModule {}
