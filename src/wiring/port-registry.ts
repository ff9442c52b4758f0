import type { DependencyContainer } from 'tsyringe';
import type { PortToken } from '../application/port-token';

/** Resolves a port under its typed token. */
export const resolvePort = <T>(container: DependencyContainer, token: PortToken<T>): T =>
  container.resolve<T>(token);

/** Registers `create()` under `token` unless a test (or an earlier step) registered one already. */
export const registerDefault = <T>(
  container: DependencyContainer,
  token: PortToken<T>,
  create: () => T,
): void => {
  if (!container.isRegistered(token, false)) container.register<T>(token, { useValue: create() });
};
