/**
 * OpenAI-compatible chat completion streams, byte for byte as each server writes them: field
 * order, `usage: null` on every chunk with include_usage, `obfuscation` padding (OpenAI since
 * 2025), Go's `\u003c` escaping of `<` (Ollama), comment keep-alives, `\r\n` endings
 * (sse-starlette). One array item = one write; tests may re-split them anywhere.
 */

const OA =
  '"id":"chatcmpl-CfmyXmcrxfYmjtAtj7KUUoqPBFb0H","object":"chat.completion.chunk","created":1764075745,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_560af6e559"';

/** api.openai.com, gpt-4o-mini with stream_options.include_usage: text with multi-byte characters, then the usage-only chunk. */
export const OPENAI_TEXT_STREAM = [
  `data: {${OA},"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"UrWxwbIG"}\n\n`,
  `data: {${OA},"choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"Kpm8omvXB"}\n\n`,
  `data: {${OA},"choices":[{"index":0,"delta":{"content":"!"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"qAlxZuNpvVvIIOm"}\n\n`,
  `data: {${OA},"choices":[{"index":0,"delta":{"content":" Ça"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"fjE24R0ZO"}\n\n`,
  `data: {${OA},"choices":[{"index":0,"delta":{"content":" va"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"GzkKkLRAZ3"}\n\n`,
  `data: {${OA},"choices":[{"index":0,"delta":{"content":"?"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"171Mgoxfms7dDU"}\n\n`,
  `data: {${OA},"choices":[{"index":0,"delta":{"content":" 👋"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"8dcUdnQ"}\n\n`,
  `data: {${OA},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null,"obfuscation":"azv06a8lAt"}\n\n`,
  `data: {${OA},"choices":[],"usage":{"prompt_tokens":19,"completion_tokens":8,"total_tokens":27,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"obfuscation":"nQ3"}\n\n`,
  'data: [DONE]\n\n',
];
export const OPENAI_TEXT = 'Hello! Ça va? 👋';

/** api.openai.com: the answer hit max_tokens (`finish_reason: "length"`). */
export const OPENAI_LENGTH_STREAM = [
  `data: {${OA},"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"RmYFV8ad65HP9F"}\n\n`,
  `data: {${OA},"choices":[{"index":0,"delta":{"content":"Once upon"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"f9IQaNg"}\n\n`,
  `data: {${OA},"choices":[{"index":0,"delta":{"content":" a"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"AAatV4uAp"}\n\n`,
  `data: {${OA},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}],"usage":null,"obfuscation":"yt6d6eJNh"}\n\n`,
  `data: {${OA},"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"obfuscation":"UQYB"}\n\n`,
  'data: [DONE]\n\n',
];

/** api.openai.com: the service fails after the first words and sends an error object instead of a chunk. */
export const OPENAI_MID_STREAM_ERROR = [
  `data: {${OA},"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"UrWxwbIG"}\n\n`,
  `data: {${OA},"choices":[{"index":0,"delta":{"content":"The answer"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"Kpm8omvXB"}\n\n`,
  'data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}\n\n',
];

/** The stream simply stops: no finish_reason, no [DONE]. */
export const OPENAI_NO_FINISH = [
  `data: {${OA},"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"UrWxwbIG"}\n\n`,
  `data: {${OA},"choices":[{"index":0,"delta":{"content":"Partial"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"Kpm8omvXB"}\n\n`,
  `data: {${OA},"choices":[{"index":0,"delta":{"content":" answer"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"qAlxZuNp"}\n\n`,
];

/** A frame whose JSON is cut short. */
export const OPENAI_INVALID_JSON = [
  `data: {${OA},"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"UrWxwbIG"}\n\n`,
  `data: {${OA},"choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"Kpm8omvXB"}\n\n`,
  'data: {"id":"chatcmpl-CfmyXmcrxfYmjtAtj7KUUoqPBFb0H","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":" th\n\n',
];

const DS =
  '"id":"7d5e3e2b-9a4c-4f0e-8f63-2c1b8e9d4a11","object":"chat.completion.chunk","created":1737000000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08_prod0225"';

/**
 * api.deepseek.com, deepseek-reasoner: `: keep-alive` comments while queued, reasoning in
 * `reasoning_content`, usage on the finishing chunk (no separate usage-only chunk).
 */
export const DEEPSEEK_REASONER_STREAM = [
  ': keep-alive\n\n',
  ': keep-alive\n\n',
  `data: {${DS},"choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":""},"logprobs":null,"finish_reason":null}]}\n\n`,
  `data: {${DS},"choices":[{"index":0,"delta":{"content":null,"reasoning_content":"The user"},"logprobs":null,"finish_reason":null}]}\n\n`,
  `data: {${DS},"choices":[{"index":0,"delta":{"content":null,"reasoning_content":" asks 2+2."},"logprobs":null,"finish_reason":null}]}\n\n`,
  `data: {${DS},"choices":[{"index":0,"delta":{"content":null,"reasoning_content":" That is 4."},"logprobs":null,"finish_reason":null}]}\n\n`,
  `data: {${DS},"choices":[{"index":0,"delta":{"content":"2 + 2","reasoning_content":null},"logprobs":null,"finish_reason":null}]}\n\n`,
  `data: {${DS},"choices":[{"index":0,"delta":{"content":" = 4.","reasoning_content":null},"logprobs":null,"finish_reason":null}]}\n\n`,
  `data: {${DS},"choices":[{"index":0,"delta":{"content":"","reasoning_content":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":14,"completion_tokens":21,"total_tokens":35,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":15},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":14}}\n\n`,
  'data: [DONE]\n\n',
];

const OL = '"id":"chatcmpl-476","object":"chat.completion.chunk","created":1739795940,"model":"deepseek-r1:1.5b","system_fingerprint":"fp_ollama"';
const ollama = (content: string) => `data: {${OL},"choices":[{"index":0,"delta":{"role":"assistant","content":"${content}"},"finish_reason":null}]}\n\n`;

/** Ollama /v1 with an R1 model: reasoning inside `content`, tags escaped as `\u003cthink\u003e` by Go's JSON encoder. */
export const OLLAMA_THINK_TAGS_STREAM = [
  ollama('\\u003cthink\\u003e'),
  ollama('\\n'),
  ollama('Okay'),
  ollama(', the user'),
  ollama(' said hi.'),
  ollama('\\n'),
  ollama('\\u003c/think\\u003e'),
  ollama('\\n\\n'),
  ollama('Hello'),
  ollama('! How can I help?'),
  `data: {${OL},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]}\n\n`,
  `data: {${OL},"choices":[],"usage":{"prompt_tokens":6,"completion_tokens":17,"total_tokens":23}}\n\n`,
  'data: [DONE]\n\n',
];

const llamaCpp = (content: string) =>
  `data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"${content}"}}],"created":1741000000,"id":"chatcmpl-B2k8rLX3r0uEoeyJyIp7dO3dGJmTSp1S","model":"DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf","system_fingerprint":"b4800-1a2b3c4d","object":"chat.completion.chunk"}\n\n`;

/** llama.cpp server with an R1 distill: the tags themselves arrive in pieces (`<th` + `ink>`, `</` + `think>`). */
export const LLAMACPP_SPLIT_THINK_STREAM = [
  llamaCpp('<th'),
  llamaCpp('ink>\\n'),
  llamaCpp('Short question'),
  llamaCpp(', short answer.\\n</'),
  llamaCpp('think>\\n\\nYes'),
  llamaCpp(', it works.'),
  'data: {"choices":[{"finish_reason":"stop","index":0,"delta":{}}],"created":1741000000,"id":"chatcmpl-B2k8rLX3r0uEoeyJyIp7dO3dGJmTSp1S","model":"DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf","system_fingerprint":"b4800-1a2b3c4d","object":"chat.completion.chunk","usage":{"completion_tokens":16,"prompt_tokens":9,"total_tokens":25},"timings":{"prompt_n":9,"prompt_ms":30.2,"prompt_per_token_ms":3.36,"prompt_per_second":298.0,"predicted_n":16,"predicted_ms":201.5,"predicted_per_token_ms":12.59,"predicted_per_second":79.4}}\n\n',
  'data: [DONE]\n\n',
];

const OR =
  '"id":"gen-1756000000-AbCdEfGhIjKlMnOpQrSt","provider":"Anthropic","model":"anthropic/claude-sonnet-4","object":"chat.completion.chunk","created":1756000000';

/** OpenRouter: `: OPENROUTER PROCESSING` keep-alives, reasoning in `delta.reasoning`, usage with cost on a last chunk. */
export const OPENROUTER_REASONING_STREAM = [
  ': OPENROUTER PROCESSING\n\n',
  ': OPENROUTER PROCESSING\n\n',
  `data: {${OR},"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Simple","reasoning_details":[{"type":"reasoning.text","text":"Simple","format":"anthropic-claude-v1","index":0}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n`,
  `data: {${OR},"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":" arithmetic.","reasoning_details":[{"type":"reasoning.text","text":" arithmetic.","format":"anthropic-claude-v1","index":0}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n`,
  ': OPENROUTER PROCESSING\n\n',
  `data: {${OR},"choices":[{"index":0,"delta":{"role":"assistant","content":"It is 4."},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n`,
  `data: {${OR},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop","native_finish_reason":"end_turn","logprobs":null}]}\n\n`,
  `data: {${OR},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"native_finish_reason":null,"logprobs":null}],"usage":{"prompt_tokens":42,"completion_tokens":30,"total_tokens":72,"cost":0.000576,"is_byok":false,"prompt_tokens_details":{"cached_tokens":0},"cost_details":{"upstream_inference_cost":null},"completion_tokens_details":{"reasoning_tokens":18}}}\n\n`,
  'data: [DONE]\n\n',
];

/** OpenRouter: a provider fails mid-answer; the error rides on a chunk with `finish_reason: "error"`. */
export const OPENROUTER_MID_STREAM_ERROR = [
  `data: {${OR},"choices":[{"index":0,"delta":{"role":"assistant","content":"Let me"},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n`,
  `data: {${OR},"error":{"code":"server_error","message":"Provider disconnected unexpectedly"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}\n\n`,
];

const GQ =
  '"id":"chatcmpl-eda3591e-f053-41b8-b720-f6f6a9b3fed2","object":"chat.completion.chunk","created":1740000000,"model":"llama-3.3-70b-versatile","system_fingerprint":"fp_d58dbe76cd"';

/** Groq: usage in `x_groq.usage` on the last chunk. */
export const GROQ_STREAM = [
  `data: {${GQ},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"x_groq":{"id":"req_01kz7bdsx2ewjbpzjmx50syk52"}}\n\n`,
  `data: {${GQ},"choices":[{"index":0,"delta":{"content":"Fast"},"logprobs":null,"finish_reason":null}]}\n\n`,
  `data: {${GQ},"choices":[{"index":0,"delta":{"content":" answer."},"logprobs":null,"finish_reason":null}]}\n\n`,
  `data: {${GQ},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"x_groq":{"id":"req_01kz7bdsx2ewjbpzjmx50syk52","usage":{"queue_time":0.051,"prompt_tokens":11,"prompt_time":0.0021,"completion_tokens":3,"completion_time":0.009,"total_tokens":14,"total_time":0.0111}}}\n\n`,
  'data: [DONE]\n\n',
];

const LP =
  '"id":"chatcmpl-9a1c2b3d-4e5f-6789-abcd-ef0123456789","model":"qwen2.5-7b-instruct-q4_k_m.gguf","created":1740000000,"object":"chat.completion.chunk"';

/** llama-cpp-python's server (sse-starlette): `\r\n` line endings and `: ping` comments. */
export const LLAMA_CPP_PYTHON_CRLF_STREAM = [
  `data: {${LP},"choices":[{"index":0,"delta":{"role":"assistant"},"logprobs":null,"finish_reason":null}]}\r\n\r\n`,
  ': ping - 2025-02-20 10:00:15.000000+00:00\r\n\r\n',
  `data: {${LP},"choices":[{"index":0,"delta":{"content":"Line one"},"logprobs":null,"finish_reason":null}]}\r\n\r\n`,
  `data: {${LP},"choices":[{"index":0,"delta":{"content":"\\nline two"},"logprobs":null,"finish_reason":null}]}\r\n\r\n`,
  `data: {${LP},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}\r\n\r\n`,
  'data: [DONE]\r\n\r\n',
];

/** HTTP error bodies as api.openai.com sends them: 4-space indented JSON and a trailing newline. */
export const OPENAI_429_BODY =
  '{\n    "error": {\n        "message": "Rate limit reached for gpt-4o-mini in organization org-abc123 on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.",\n        "type": "requests",\n        "param": null,\n        "code": "rate_limit_exceeded"\n    }\n}\n';

export const OPENAI_401_BODY =
  '{\n    "error": {\n        "message": "Incorrect API key provided: sk-test-************************wxyz. You can find your API key at https://platform.openai.com/account/api-keys.",\n        "type": "invalid_request_error",\n        "param": null,\n        "code": "invalid_api_key"\n    }\n}\n';

export const OPENAI_500_BODY =
  '{\n    "error": {\n        "message": "The server had an error while processing your request. Sorry about that!",\n        "type": "server_error",\n        "param": null,\n        "code": null\n    }\n}\n';

export const OPENAI_JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * Any text as api.openai.com streams it for gpt-4o-mini with include_usage (the frames of
 * OPENAI_TEXT_STREAM): a role chunk, the text in pieces of `piece` characters, the finishing
 * chunk, the usage-only chunk, then [DONE]. JSON escaping is the service's (`JSON.stringify`).
 */
export function openaiTextStream(text: string, usage = { prompt: 19, completion: 8 }, piece = 24): string[] {
  const chunk = (delta: string) =>
    `data: {${OA},"choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"Kpm8omvXB"}\n\n`;
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += piece) pieces.push(chunk(`{"content":${JSON.stringify(text.slice(i, i + piece))}}`));
  return [
    chunk('{"role":"assistant","content":"","refusal":null}'),
    ...pieces,
    `data: {${OA},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null,"obfuscation":"azv06a8lAt"}\n\n`,
    `data: {${OA},"choices":[],"usage":{"prompt_tokens":${usage.prompt},"completion_tokens":${usage.completion},"total_tokens":${usage.prompt + usage.completion},"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"obfuscation":"nQ3"}\n\n`,
    'data: [DONE]\n\n',
  ];
}
