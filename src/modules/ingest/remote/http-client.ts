/**
 * The HTTP layer the GitHub and Jira connectors share: JSON requests against a configurable base URL,
 * retries with exponential backoff on 5xx and network errors, and rate limits waited out
 * (`retry-after`, or `x-ratelimit-remaining: 0` with `x-ratelimit-reset`) up to a maximum wait, after
 * which the call fails with a message saying when to try again.
 */

export interface HttpClientOptions {
  /** e.g. https://api.github.com or https://ghe.example.com/api/v3 or https://acme.atlassian.net */
  baseUrl: string;
  /** Names the service in error messages ("GitHub", "Jira"). */
  service: string;
  headers?: Record<string, string>;
  /** Attempts after the first on 5xx / network errors (default 4). */
  retries?: number;
  /** First backoff delay; doubles per attempt (default 500 ms). */
  backoffMs?: number;
  /** The longest rate-limit wait the client accepts before giving up (default 15 minutes). */
  maxRateLimitWaitMs?: number;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Told about waits and retries, for progress output. */
  onNotice?: (message: string) => void;
}

export interface HttpResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

/** A request that failed for good (a 4xx other than a rate limit, or retries exhausted). */
export class RemoteApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly url: string,
  ) {
    super(message);
    this.name = 'RemoteApiError';
  }
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class HttpClient {
  private readonly baseUrl: string;
  private readonly opts: Required<Omit<HttpClientOptions, 'headers' | 'onNotice'>> &
    Pick<HttpClientOptions, 'onNotice'>;
  private readonly headers: Record<string, string>;
  /** Requests made, counted for summaries and tests. */
  requests = 0;

  constructor(options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.headers = { accept: 'application/json', ...options.headers };
    this.opts = {
      baseUrl: this.baseUrl,
      service: options.service,
      retries: options.retries ?? 4,
      backoffMs: options.backoffMs ?? 500,
      maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 15 * 60_000,
      timeoutMs: options.timeoutMs ?? 60_000,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      sleep: options.sleep ?? defaultSleep,
      now: options.now ?? Date.now,
      onNotice: options.onNotice,
    };
  }

  /** Resolves a path (or an absolute URL from a `Link` header on the same host) with query parameters. */
  url(pathOrUrl: string, query: Record<string, string | number | undefined> = {}): string {
    const url = /^https?:\/\//.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(this.baseUrl + pathOrUrl);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  async get<T>(
    pathOrUrl: string,
    query: Record<string, string | number | undefined> = {},
  ): Promise<HttpResponse<T>> {
    return this.request<T>('GET', this.url(pathOrUrl, query));
  }

  async post<T>(path: string, body: unknown): Promise<HttpResponse<T>> {
    return this.request<T>('POST', this.url(path), body);
  }

  private async request<T>(method: string, url: string, body?: unknown): Promise<HttpResponse<T>> {
    const { service } = this.opts;
    let attempt = 0;
    for (;;) {
      let res: Response;
      try {
        this.requests++;
        res = await this.opts.fetch(url, {
          method,
          headers:
            body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        });
      } catch (error) {
        if (attempt >= this.opts.retries) {
          throw new RemoteApiError(
            `${service} could not be reached at ${url} after ${attempt + 1} attempts: ${(error as Error).message}`,
            undefined,
            url,
          );
        }
        await this.backoff(attempt++, `network error (${(error as Error).message})`, url);
        continue;
      }

      const wait = this.rateLimitWait(res);
      if (wait !== undefined) {
        await res.body?.cancel();
        if (wait > this.opts.maxRateLimitWaitMs) {
          const until = new Date(this.opts.now() + wait).toISOString();
          throw new RemoteApiError(
            `${service} rate limit reached; it resets at ${until}, later than the longest wait allowed ` +
              `(${Math.round(this.opts.maxRateLimitWaitMs / 1000)} s). Run the import again after that time; ` +
              'it continues from where it stopped.',
            res.status,
            url,
          );
        }
        this.opts.onNotice?.(`${service} rate limit reached; waiting ${Math.ceil(wait / 1000)} s.`);
        await this.opts.sleep(wait);
        continue;
      }

      if (RETRYABLE_STATUS.has(res.status)) {
        await res.body?.cancel();
        if (attempt >= this.opts.retries) {
          throw new RemoteApiError(
            `${service} answered ${res.status} for ${method} ${url} ${attempt + 1} times; try again later.`,
            res.status,
            url,
          );
        }
        await this.backoff(attempt++, `HTTP ${res.status}`, url);
        continue;
      }

      const text = await res.text();
      if (!res.ok) {
        throw new RemoteApiError(describeFailure(service, method, url, res.status, text), res.status, url);
      }
      let data: T;
      try {
        data = (text === '' ? null : JSON.parse(text)) as T;
      } catch {
        throw new RemoteApiError(
          `${service} answered ${method} ${url} with something that is not JSON: ${text.slice(0, 120)}`,
          res.status,
          url,
        );
      }
      return { status: res.status, data, headers: res.headers };
    }
  }

  /** How long to wait before retrying, when the response is a rate-limit refusal; undefined otherwise. */
  private rateLimitWait(res: Response): number | undefined {
    if (res.status !== 403 && res.status !== 429) return undefined;
    const retryAfter = res.headers.get('retry-after');
    if (retryAfter !== null) {
      const seconds = Number(retryAfter);
      if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
      const date = Date.parse(retryAfter);
      if (Number.isFinite(date)) return Math.max(0, date - this.opts.now());
    }
    if (res.headers.get('x-ratelimit-remaining') === '0') {
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      // A second of slack: the reset moment is rounded down to the second.
      if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - this.opts.now()) + 1000;
    }
    // A 429 without hints still means "slow down".
    return res.status === 429 ? 60_000 : undefined;
  }

  private async backoff(attempt: number, why: string, url: string): Promise<void> {
    const ms = this.opts.backoffMs * 2 ** attempt;
    this.opts.onNotice?.(`${this.opts.service}: ${why} for ${url}; retrying in ${ms} ms.`);
    await this.opts.sleep(ms);
  }
}

function describeFailure(service: string, method: string, url: string, status: number, body: string): string {
  let detail: string;
  try {
    const parsed = JSON.parse(body) as { message?: string; errorMessages?: string[]; errors?: unknown };
    detail = parsed.message ?? parsed.errorMessages?.join('; ') ?? '';
  } catch {
    detail = body.slice(0, 120);
  }
  const hint =
    status === 401
      ? ' Check the token (and for Jira the e-mail address it belongs to).'
      : status === 404
        ? ' Check the repository, project or site name, and that the token can see it.'
        : status === 403
          ? ' The token lacks a permission this needs.'
          : '';
  return `${service} answered ${status} for ${method} ${url}${detail ? `: ${detail}` : ''}.${hint}`;
}

/** The `rel="next"` URL of a GitHub-style `Link` header, if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m && m[2]!.split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}

/**
 * Settings every connector's HTTP client starts from; tests shorten waits here (a local fixture
 * server's rate limit need not be slept out in real time).
 */
export const clientDefaults: Partial<Omit<HttpClientOptions, 'baseUrl' | 'service'>> = {};
