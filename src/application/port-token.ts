/**
 * A DI token that remembers the port type it stands for, so the composition root cannot register
 * or resolve the wrong kind of thing under it.
 */
export type PortToken<T> = symbol & { readonly __port?: T };

export const portToken = <T>(description: string): PortToken<T> =>
  Symbol(description) as PortToken<T>;
