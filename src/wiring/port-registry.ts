import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import type { PortToken } from '../application/port-token';

/** Resolves a port under its typed token. */
export const resolvePort = <T>(container: DependencyContainer, token: PortToken<T>): T =>
  container.resolve<T>(token);

/**
 * Registers `create` under `token` unless a test, a bench or an earlier step registered one
 * already. Created on first resolution, once, so registrations may come in any order.
 */
export const registerDefault = <T>(
  container: DependencyContainer,
  token: PortToken<T>,
  create: (container: DependencyContainer) => T,
): void => {
  if (!container.isRegistered(token, false))
    container.register<T>(token, { useFactory: instanceCachingFactory<T>(create) });
};
