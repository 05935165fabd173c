import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { LedgerModule } from '../ledger/ledger.module.js';
import { COMMAND_HANDLERS } from '../ledger/command-handlers.js';

// What @CommandHandler(Command) records on a handler class (@nestjs/cqrs' COMMAND_HANDLER_METADATA).
const HANDLES = '__commandHandler__';

describe('the hand-wired command handlers (the CLI has no Nest injector)', () => {
  it('are exactly the command handlers LedgerModule registers', () => {
    const registered = (Reflect.getMetadata('providers', LedgerModule) as unknown[]).filter((provider) => typeof provider === 'function' && Reflect.hasMetadata(HANDLES, provider));
    expect(new Set(COMMAND_HANDLERS.map(([, handler]) => handler))).toEqual(new Set(registered));
  });

  it('pair each command with the handler Nest would route it to', () => {
    for (const [command, handler] of COMMAND_HANDLERS) expect(Reflect.getMetadata(HANDLES, handler)).toBe(command);
  });
});
