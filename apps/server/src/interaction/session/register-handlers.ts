import { Provider, Type } from '@nestjs/common';
import { CommandHandler, CommandType } from './commands';
import { GroupHost } from './group-host';

/** A provider that registers a module's command handlers with the host as the module is built. */
export function registerHandlers(token: string, handlers: Array<Type<CommandHandler<CommandType>>>): Provider {
  return {
    provide: token,
    inject: [GroupHost, ...handlers],
    useFactory: (host: GroupHost, ...instances: Array<CommandHandler<CommandType>>) => {
      for (const h of instances) host.register(h);
      return instances.map((h) => h.type);
    },
  };
}
