import 'reflect-metadata';
import type { Command, ICommandHandler } from '@nestjs/cqrs';
import type { Catalogues } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { COMMAND_HANDLERS } from '../ledger/command-handlers.js';
import type { LedgerIdentifiers } from '../ledger/ledger-identifiers.js';
import type { LedgerCommands } from './seed-demo.js';

/**
 * The command handlers without Nest: the CLI runs under tsx, which emits no decorator metadata, so
 * Nest's injector cannot build them there. Every handler takes (store, catalogues, identifiers), so
 * wiring them by hand is one line; a spec checks that Nest registers the very same list.
 */
export function handWiredCommands(store: EventStore, catalogues: Catalogues, identifiers: LedgerIdentifiers): LedgerCommands {
  const handlers = new Map<unknown, ICommandHandler>(COMMAND_HANDLERS.map(([command, Handler]) => [command, new Handler(store, catalogues, identifiers)]));
  return {
    execute<Result>(command: Command<Result>): Promise<Result> {
      const handler = handlers.get(command.constructor);
      if (!handler) return Promise.reject(new Error(`No handler for ${command.constructor.name}`));
      return handler.execute(command) as Promise<Result>;
    },
  };
}
