/**
 * Gemini `streamGenerateContent?alt=sse` as generativelanguage.googleapis.com writes it: each
 * event a whole GenerateContentResponse in Google's JSON style (`": "` after keys, no space after
 * commas), raw UTF-8, events ended by `\r\n\r\n` (seen in retained captures of the live API),
 * running usageMetadata on every event, no end marker.
 */

const gem = (json: string) => `data: ${json}\r\n\r\n`;
const USAGE_TAIL = ',"modelVersion": "gemini-2.5-flash","responseId": "EdDHavuSDILGjMcPvefFoQg"}';

/** gemini-2.5-flash with includeThoughts: a thought part, then the answer in two events, STOP. */
export const GEMINI_THINKING_STREAM = [
  gem(
    `{"candidates": [{"content": {"parts": [{"text": "**Adding small numbers**\\n\\nTwo plus two is four.\\n","thought": true}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 9,"totalTokenCount": 40,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 9}],"thoughtsTokenCount": 31}${USAGE_TAIL}`,
  ),
  gem(
    `{"candidates": [{"content": {"parts": [{"text": "2 + 2 = 4"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 9,"candidatesTokenCount": 7,"totalTokenCount": 47,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 9}],"thoughtsTokenCount": 31}${USAGE_TAIL}`,
  ),
  gem(
    `{"candidates": [{"content": {"parts": [{"text": " — c’est simple."}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 9,"candidatesTokenCount": 12,"totalTokenCount": 52,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 9}],"thoughtsTokenCount": 31}${USAGE_TAIL}`,
  ),
];
export const GEMINI_THINKING_REASONING = '**Adding small numbers**\n\nTwo plus two is four.\n';
export const GEMINI_THINKING_TEXT = '2 + 2 = 4 — c’est simple.';

/** Captured shape: thinking used the whole budget; finishReason MAX_TOKENS, no candidatesTokenCount. */
export const GEMINI_MAX_TOKENS_STREAM = [
  gem(
    `{"candidates": [{"content": {"parts": [{"text": "**Initiating the Descent**\\n\\nI'm now diving into the problem.\\n\\n\\n","thought": true}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 29,"totalTokenCount": 88,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 29}],"thoughtsTokenCount": 59,"serviceTier": "standard"}${USAGE_TAIL}`,
  ),
  gem(
    `{"candidates": [{"content": {"parts": [{"text": "We"}],"role": "model"},"finishReason": "MAX_TOKENS","index": 0}],"usageMetadata": {"promptTokenCount": 29,"totalTokenCount": 88,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 29}],"thoughtsTokenCount": 59,"serviceTier": "standard"}${USAGE_TAIL}`,
  ),
];

/** The answer was stopped by the safety filter. */
export const GEMINI_SAFETY_STREAM = [
  gem(
    `{"candidates": [{"content": {"parts": [{"text": "I can"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 12,"candidatesTokenCount": 2,"totalTokenCount": 14}${USAGE_TAIL}`,
  ),
  gem(
    `{"candidates": [{"finishReason": "SAFETY","index": 0,"safetyRatings": [{"category": "HARM_CATEGORY_SEXUALLY_EXPLICIT","probability": "NEGLIGIBLE"},{"category": "HARM_CATEGORY_HATE_SPEECH","probability": "NEGLIGIBLE"},{"category": "HARM_CATEGORY_HARASSMENT","probability": "NEGLIGIBLE"},{"category": "HARM_CATEGORY_DANGEROUS_CONTENT","probability": "HIGH","blocked": true}]}],"usageMetadata": {"promptTokenCount": 12,"candidatesTokenCount": 2,"totalTokenCount": 14}${USAGE_TAIL}`,
  ),
];

/** An error object inside the stream (the API's error envelope, sent as an event). */
export const GEMINI_MID_STREAM_ERROR = [
  gem(
    `{"candidates": [{"content": {"parts": [{"text": "Partial"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 5,"candidatesTokenCount": 1,"totalTokenCount": 6}${USAGE_TAIL}`,
  ),
  gem(
    '{"error": {"code": 500, "message": "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting", "status": "INTERNAL"}}',
  ),
];

/** Body ends after text but before any finishReason. */
export const GEMINI_NO_FINISH = [
  gem(
    `{"candidates": [{"content": {"parts": [{"text": "Half an"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 5,"candidatesTokenCount": 2,"totalTokenCount": 7}${USAGE_TAIL}`,
  ),
];

/** HTTP errors: 2-space indented JSON; 429 carries its wait in a RetryInfo detail, not a header. */
export const GEMINI_429_BODY = `{
  "error": {
    "code": 429,
    "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 10, model: gemini-2.5-flash\\nPlease retry in 20.631014s.",
    "status": "RESOURCE_EXHAUSTED",
    "details": [
      {
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        "violations": [
          {
            "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
            "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
            "quotaDimensions": {
              "location": "global",
              "model": "gemini-2.5-flash"
            },
            "quotaValue": "10"
          }
        ]
      },
      {
        "@type": "type.googleapis.com/google.rpc.Help",
        "links": [
          {
            "description": "Learn more about Gemini API quotas",
            "url": "https://ai.google.dev/gemini-api/docs/rate-limits"
          }
        ]
      },
      {
        "@type": "type.googleapis.com/google.rpc.RetryInfo",
        "retryDelay": "20s"
      }
    ]
  }
}
`;

/** A wrong key is a 400 INVALID_ARGUMENT on this API, not a 401. */
export const GEMINI_BAD_KEY_BODY = `{
  "error": {
    "code": 400,
    "message": "API key not valid. Please pass a valid API key.",
    "status": "INVALID_ARGUMENT",
    "details": [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "API_KEY_INVALID",
        "domain": "googleapis.com",
        "metadata": {
          "service": "generativelanguage.googleapis.com"
        }
      }
    ]
  }
}
`;

export const GEMINI_503_BODY = `{
  "error": {
    "code": 503,
    "message": "The model is overloaded. Please try again later.",
    "status": "UNAVAILABLE"
  }
}
`;

export const GEMINI_JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' };
export const GEMINI_SSE_HEADERS = { 'content-type': 'text/event-stream' };
