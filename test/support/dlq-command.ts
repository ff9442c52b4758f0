import { npmScript } from './npm-script';

/** Runs `npm run dlq -- <args>` and returns its standard output; rejects with its exit code. */
export async function dlqCommand(
  args: readonly string[],
  variables: Record<string, string>,
): Promise<string> {
  const { code, stdout, stderr } = await npmScript('dlq', args, variables);
  if (code !== 0) throw Object.assign(new Error(`dlq exited ${code}: ${stderr}`), { code });
  return stdout;
}
