import type { ChatMessage } from './ai.tables.js';

/**
 * A minimal client of an OpenAI-compatible `POST {baseUrl}/chat/completions` endpoint (OpenAI, Azure's
 * compatible endpoints, vLLM, llama.cpp's server, Ollama's `/v1`, LM Studio …): one request, no
 * streaming, a hard timeout, and an `AiEndpointError` whose message says what went wrong and where.
 */

export interface ChatEndpoint {
  baseUrl: string;
  model: string;
  apiKey: string | null;
  timeoutSeconds: number;
}

export interface ChatAnswer {
  content: string;
  /** The model the endpoint says answered (falls back to the one asked for). */
  model: string;
  latencyMs: number;
}

export class AiEndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AiEndpointError';
  }
}

/** `https://host/v1/` → `https://host/v1/chat/completions`. */
export function completionsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
}

/** Checks a base URL: http(s), no credentials in it, no query or fragment. Returns a problem or null. */
export function baseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL, e.g. https://api.openai.com/v1 or http://localhost:11434/v1';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must start with http:// or https://';
  if (url.username || url.password) return 'must not contain a user name or password (use the API key field)';
  if (url.search || url.hash) return 'must not contain a query string or fragment';
  return null;
}

function snippet(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export async function chatCompletion(
  endpoint: ChatEndpoint,
  messages: ChatMessage[],
  options: { temperature?: number; maxTokens?: number; fetchImpl?: typeof fetch } = {},
): Promise<ChatAnswer> {
  const url = completionsUrl(endpoint.baseUrl);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  const body = {
    model: endpoint.model,
    messages,
    temperature: options.temperature ?? 0.3,
    max_tokens: options.maxTokens ?? 1200,
    stream: false,
  };
  const started = Date.now();
  const signal = AbortSignal.timeout(endpoint.timeoutSeconds * 1000);
  let text: string;
  let status: number;
  try {
    const response = await (options.fetchImpl ?? fetch)(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal,
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    if (signal.aborted) {
      throw new AiEndpointError(`${url} did not answer within ${endpoint.timeoutSeconds} s.`);
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new AiEndpointError(
      `Cannot reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}.`,
    );
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AiEndpointError(
      status >= 400
        ? `${url} answered ${status}: ${snippet(text) || 'no body'}.`
        : `${url} answered ${status} with a body that is not JSON: ${snippet(text, 80) || 'empty'}.`,
    );
  }
  if (status < 200 || status >= 300) {
    const err = (parsed as { error?: { message?: unknown } | string }).error;
    const message =
      typeof err === 'string' ? err : typeof err?.message === 'string' ? err.message : snippet(text);
    const hint =
      status === 401 || status === 403
        ? ' Check the API key.'
        : status === 404
          ? ' Check the base URL and the model name.'
          : '';
    throw new AiEndpointError(`${url} answered ${status}: ${snippet(message)}.${hint}`);
  }
  const choice = (parsed as { choices?: { message?: { content?: unknown } }[] }).choices?.[0];
  const content = choice?.message?.content;
  if (typeof content !== 'string' || content.trim() === '') {
    throw new AiEndpointError(`${url} answered without text in choices[0].message.content.`);
  }
  const model = (parsed as { model?: unknown }).model;
  return {
    content: content.trim(),
    model: typeof model === 'string' && model ? model : endpoint.model,
    latencyMs: Date.now() - started,
  };
}
