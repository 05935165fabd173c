import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

type Handler = ExecutionContext['getHandler'] extends () => infer H ? H : never;
type ControllerClass = ExecutionContext['getClass'] extends () => infer C ? C : never;

/**
 * A route's metadata under `key` (on its handler, else its controller), read once per route: the
 * decorators are fixed once the app has started, while Reflector reads them again through
 * reflect-metadata every time it is asked, and the guards and interceptors ask on every request.
 */
export function routeMetadata<T>(reflector: Reflector, key: string): (context: ExecutionContext) => T | undefined {
  const known = new WeakMap<Handler, WeakMap<ControllerClass, { readonly value: T | undefined }>>();
  return (context) => {
    const handler = context.getHandler();
    const controller = context.getClass();
    let ofHandler = known.get(handler);
    if (!ofHandler) known.set(handler, (ofHandler = new WeakMap()));
    let found = ofHandler.get(controller);
    if (!found) ofHandler.set(controller, (found = { value: reflector.getAllAndOverride<T | undefined>(key, [handler, controller]) }));
    return found.value;
  };
}
