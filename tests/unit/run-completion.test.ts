import { describe, expect, it } from 'vitest';
import { modelConfigSchema } from '../../server/models/config.ts';
import { runCompletion } from '../../server/providers/run-completion.ts';
import { type ProviderAdapter, ProviderError } from '../../server/providers/types.ts';

const model = modelConfigSchema.parse({ id: 'm', name: 'M', provider: 'openai' });

describe('runCompletion', () => {
  it('takes the API key out of any error message, whatever path produced it', async () => {
    const key = 'secret-key-0123456789';
    // eslint-disable-next-line require-yield
    const adapter: ProviderAdapter = async function* () {
      throw new ProviderError('protocol', `unreadable frame from upstream: "{\\"echo\\":\\"${key}\\", sk-abcdef123456`);
    };
    const result = await runCompletion({
      adapter,
      request: { model, messages: [{ role: 'user', content: 'hi' }], apiKey: key },
      signal: new AbortController().signal,
    });
    expect(result.finishReason).toBe('error');
    expect(result.error!.message).not.toContain(key);
    expect(result.error!.message).toContain('[redacted]');
    expect(result.error!.message).toContain('sk-[redacted]');
  });

  it('records a stream that ends without a finish as a protocol error, keeping the text so far', async () => {
    const adapter: ProviderAdapter = async function* () {
      yield { type: 'text', text: 'half an ans' };
    };
    const result = await runCompletion({
      adapter,
      request: { model, messages: [{ role: 'user', content: 'hi' }], apiKey: undefined },
      signal: new AbortController().signal,
    });
    expect(result).toMatchObject({ text: 'half an ans', finishReason: 'error', error: { kind: 'protocol' }, tokensEstimated: true });
    expect(result.ttftMs).not.toBeNull();
  });
});
