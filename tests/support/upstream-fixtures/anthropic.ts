/**
 * Anthropic Messages streams as api.anthropic.com writes them: named events (`event:` line then
 * `data:`), `\n` endings, compact JSON except the `ping` payload (`{"type": "ping"}`), usage split
 * between message_start (input, cache) and message_delta (cumulative output).
 */

const ev = (name: string, data: string) => `event: ${name}\ndata: ${data}\n\n`;

const start = (id: string, model: string, input: number, cacheRead = 0) =>
  ev(
    'message_start',
    `{"type":"message_start","message":{"model":"${model}","id":"${id}","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":${input},"cache_creation_input_tokens":0,"cache_read_input_tokens":${cacheRead},"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}}`,
  );
const textDelta = (index: number, text: string) =>
  ev('content_block_delta', `{"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":"${text}"}}`);
const PING = ev('ping', '{"type": "ping"}');
const STOP = ev('message_stop', '{"type":"message_stop"}');

/** claude-sonnet-4-5: one text block, a ping, 3 prompt tokens + 20 read from cache. */
export const ANTHROPIC_TEXT_STREAM = [
  start('msg_01Syufym9DZKGgeEtT3BDEAF', 'claude-sonnet-4-5-20250929', 3, 20),
  ev('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'),
  PING,
  textDelta(0, 'Bonjour'),
  textDelta(0, ' ! Ça'),
  textDelta(0, ' va ? 🙂'),
  ev('content_block_stop', '{"type":"content_block_stop","index":0}'),
  ev(
    'message_delta',
    '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":3,"cache_creation_input_tokens":0,"cache_read_input_tokens":20,"output_tokens":12}}',
  ),
  STOP,
];
export const ANTHROPIC_TEXT = 'Bonjour ! Ça va ? 🙂';

/** Extended thinking: a thinking block (thinking_delta…, signature_delta), then the text block. */
export const ANTHROPIC_THINKING_STREAM = [
  start('msg_01HiWiRka7cogGJfB43zxyci', 'claude-sonnet-4-5-20250929', 46),
  ev('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}'),
  ev('content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"27 * 453: 27 * 400 = 10800,"}}'),
  ev('content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":" 27 * 53 = 1431, total 12231."}}'),
  ev(
    'content_block_delta',
    '{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds2KkmQ1YAFnlJ0oeE1RlGXHUxqpxCTDm6NRVQnzaNHs9JY4rqBAd0Rv1NR5HNKR4REPdGPdaAGSuJbqCZ0tWdA=="}}',
  ),
  ev('content_block_stop', '{"type":"content_block_stop","index":0}'),
  ev('content_block_start', '{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}'),
  textDelta(1, '27 × 453 = **12,231**'),
  ev('content_block_stop', '{"type":"content_block_stop","index":1}'),
  ev(
    'message_delta',
    '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":46,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":87}}',
  ),
  STOP,
];

/** The answer hit max_tokens. */
export const ANTHROPIC_MAX_TOKENS_STREAM = [
  start('msg_01A9ZyGQz3Hn6JqNJd2pPmAR', 'claude-haiku-4-5-20251001', 15),
  ev('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'),
  textDelta(0, 'Once upon a'),
  ev('content_block_stop', '{"type":"content_block_stop","index":0}'),
  ev(
    'message_delta',
    '{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"input_tokens":15,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":4}}',
  ),
  STOP,
];

/** The service is overloaded mid-answer and says so with an `error` event (HTTP status was 200). */
export const ANTHROPIC_OVERLOADED_MID_STREAM = [
  start('msg_01XFDUDYJgAACzvnptvVoYEL', 'claude-sonnet-4-5-20250929', 10),
  ev('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'),
  textDelta(0, 'Let me think'),
  ev('error', '{"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CVbJ2kDkM3LdKcRUVhJfy"}'),
];

/** Cut after message_delta: the stop reason is known but message_stop never came. */
export const ANTHROPIC_CUT_BEFORE_STOP = ANTHROPIC_TEXT_STREAM.slice(0, -1);

export const ANTHROPIC_429_BODY =
  '{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization (4b7e2c1a-5d3f-4e8a-9c6b-1f2e3d4c5b6a) of 50,000 input tokens per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits."},"request_id":"req_011CUNs6UKTzQmbCXRXdfwo4"}';

export const ANTHROPIC_401_BODY =
  '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}';

export const ANTHROPIC_529_BODY = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":null}';

export const ANTHROPIC_JSON_HEADERS = { 'content-type': 'application/json' };
export const ANTHROPIC_SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
