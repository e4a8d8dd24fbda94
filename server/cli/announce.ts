/**
 * After a command changed the data under running instances (import, seed, user, recount --fix),
 * tells them through Redis (REDIS_URL, as the deployment sets it) so they reload at once, not at
 * their next periodic check. Nothing to do without REDIS_URL: a lone server reads the file itself.
 */
import { announceDataChanged, RESYNC_INTERVAL_MS } from '../transport/cluster.ts';
import { redactedUrl } from '../transport/redact-url.ts';
import type { CliIo } from './io.ts';

export async function announceToInstances(command: string, redisUrl: string | null | undefined, io: CliIo): Promise<void> {
  if (!redisUrl) return;
  if (await announceDataChanged(redisUrl)) io.stdout.write('Told the running instances (REDIS_URL): they reload now.\n');
  else
    io.stderr.write(
      `arena ${command}: could not reach Redis at ${redactedUrl(redisUrl)}; running instances see the change within ${RESYNC_INTERVAL_MS / 1000} s\n`,
    );
}
