/**
 * Client for the app's survey API (app/routes/api.survey.*). The contract:
 *   GET  <endpoint>?confirmationNumber=<n> → { survey: null } | { survey, answer }
 *   POST <endpoint> { confirmationNumber, optionKey, otherText? } → 201 recorded | 200 already-answered,
 *        400 { error: { message, field? } }, 401 bad token, 429 + Retry-After.
 * Every request carries a fresh session token. Network errors, timeouts, 5xx and 429 are retried with
 * backoff; the server keeps one answer per order, so resending the same body never duplicates it.
 */

export type OptionKind = "CREATOR" | "CHANNEL" | "OTHER";

export interface SurveyOption {
  key: string;
  /** null: use the localized "Other" (kind OTHER) */
  label: string | null;
  kind: OptionKind;
}

export interface SurveyConfig {
  /** null: use the localized default question */
  question: string | null;
  /** in display order */
  options: SurveyOption[];
  otherMaxLength: number;
}

export interface SurveyAnswer {
  optionKey: string;
  optionLabel: string;
}

export type SurveyState = { survey: null } | { survey: SurveyConfig; answer: SurveyAnswer | null };

export interface AnswerBody {
  confirmationNumber: string;
  optionKey: string;
  otherText?: string;
}

export type ErrorField = "optionKey" | "otherText" | "confirmationNumber";

export type LoadResult = { ok: true; state: SurveyState } | { ok: false; retryable: boolean };

export type SubmitResult =
  | { ok: true; answer: SurveyAnswer }
  /** 400: the server rejected the answer; `field` says which part */
  | { ok: false; reason: "invalid"; field?: ErrorField }
  /** retries ran out (network, timeouts, 5xx, 429), or 401/403: safe to send the same body again */
  | { ok: false; reason: "unavailable" };

export interface RetryPolicy {
  /** waits before the 2nd, 3rd, … attempt; its length is the number of retries */
  backoffMs: readonly number[];
  /** a longer Retry-After than this ends the retries (the shopper can still try again) */
  maxRetryAfterMs: number;
  /** one attempt is abandoned (and retried) after this long */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  backoffMs: [1_000, 2_000, 4_000],
  maxRetryAfterMs: 30_000,
  timeoutMs: 10_000,
};

export const DEFAULT_OTHER_MAX_LENGTH = 200;

type Attempt<T> = { done: T } | { retryAfterMs?: number };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SurveyClient {
  constructor(
    private readonly endpoint: string,
    private readonly sessionToken: () => Promise<string>,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {}

  async load(confirmationNumber: string): Promise<LoadResult> {
    const url = `${this.endpoint}?confirmationNumber=${encodeURIComponent(confirmationNumber)}`;
    return this.withRetries<LoadResult>({ ok: false, retryable: true }, async () => {
      const response = await this.send(url, { method: "GET" });
      if (!response) return {};
      if (isRetryableStatus(response.status)) return { retryAfterMs: retryAfterMs(response) };
      if (!response.ok) return { done: { ok: false, retryable: false } };
      const state = parseSurveyState(await readJson(response));
      return state ? { done: { ok: true, state } } : { done: { ok: false, retryable: false } };
    });
  }

  async submit(body: AnswerBody): Promise<SubmitResult> {
    const payload = JSON.stringify(body);
    return this.withRetries<SubmitResult>({ ok: false, reason: "unavailable" }, async () => {
      const response = await this.send(this.endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: payload,
      });
      if (!response) return {};
      if (isRetryableStatus(response.status)) return { retryAfterMs: retryAfterMs(response) };
      const json = await readJson(response);
      if (response.ok) {
        const answer = parseAnswer(isRecord(json) ? json.answer : undefined);
        // A 2xx whose body we cannot read (a proxy's page?) is not proof the answer was kept: retry.
        return answer ? { done: { ok: true, answer } } : {};
      }
      if (response.status === 400) return { done: { ok: false, reason: "invalid", field: errorField(json) } };
      return { done: { ok: false, reason: "unavailable" } };
    });
  }

  /** null on a network error or a timeout */
  private async send(url: string, init: RequestInit): Promise<Response | null> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.policy.timeoutMs);
    try {
      const token = await this.sessionToken();
      return await fetch(url, {
        ...init,
        headers: { ...init.headers, Accept: "application/json", Authorization: `Bearer ${token}` },
        signal: controller.signal,
      });
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private async withRetries<T>(exhausted: T, attempt: () => Promise<Attempt<T>>): Promise<T> {
    for (let retry = 0; ; retry++) {
      const result = await attempt();
      if ("done" in result) return result.done;
      const backoff = this.policy.backoffMs[retry];
      if (backoff === undefined) return exhausted;
      const wait = Math.max(backoff, result.retryAfterMs ?? 0);
      if (wait > this.policy.maxRetryAfterMs) return exhausted;
      await sleep(wait);
    }
  }
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Retry-After in seconds (the server's form) or as an HTTP date */
function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get("Retry-After");
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function errorField(json: unknown): ErrorField | undefined {
  const field = isRecord(json) && isRecord(json.error) ? json.error.field : undefined;
  return field === "optionKey" || field === "otherText" || field === "confirmationNumber" ? field : undefined;
}

export function parseAnswer(value: unknown): SurveyAnswer | null {
  if (!isRecord(value)) return null;
  const { optionKey, optionLabel } = value;
  if (typeof optionKey !== "string" || !optionKey) return null;
  return { optionKey, optionLabel: typeof optionLabel === "string" ? optionLabel : "" };
}

function parseOption(value: unknown): SurveyOption | null {
  if (!isRecord(value)) return null;
  const { key, label, kind } = value;
  if (typeof key !== "string" || !key) return null;
  if (kind !== "CREATOR" && kind !== "CHANNEL" && kind !== "OTHER") return null;
  const text = typeof label === "string" && label.trim() ? label : null;
  // Creators and channels come with their names; only "Other" falls back to a localized label.
  if (text === null && kind !== "OTHER") return null;
  return { key, label: text, kind };
}

/** The GET body, checked; null when it is not what the contract says. */
export function parseSurveyState(json: unknown): SurveyState | null {
  if (!isRecord(json) || !("survey" in json)) return null;
  if (json.survey === null) return { survey: null };
  if (!isRecord(json.survey) || !Array.isArray(json.survey.options)) return null;
  const { question, options, otherMaxLength } = json.survey;
  const parsed = options.map(parseOption).filter((option): option is SurveyOption => option !== null);
  if (parsed.length === 0) return null;
  return {
    survey: {
      question: typeof question === "string" && question.trim() ? question : null,
      options: parsed,
      otherMaxLength:
        typeof otherMaxLength === "number" && Number.isInteger(otherMaxLength) && otherMaxLength > 0
          ? otherMaxLength
          : DEFAULT_OTHER_MAX_LENGTH,
    },
    answer: parseAnswer(json.answer),
  };
}
