/** `base` with `schema` as its search path and its name as application name. */
export function withSearchPath(base: string, schema: string): string {
  const url = new URL(base);
  const options = url.searchParams.get('options');
  url.searchParams.set('options', `${options ?? ''} -c search_path=${schema}`.trim());
  url.searchParams.set('application_name', schema);
  return url.toString();
}

/** `url` with its host and port replaced by those of a proxy on this machine. */
export function throughPort(url: string, port: number): string {
  const changed = new URL(url);
  changed.hostname = '127.0.0.1';
  changed.port = String(port);
  return changed.toString();
}

/** Where `url` points, for a proxy to forward to. */
export const hostAndPort = (url: string): { host: string; port: number } => {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 5432) };
};
