/// <reference types="@shopify/ui-extensions/purchase.thank-you.block.render" />
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setImmediate as nextTurn, setTimeout as realDelay } from "node:timers/promises";

import { render } from "preact";
import { vi } from "vitest";

import type { I18nTranslate } from "@shopify/ui-extensions/checkout";

import type { SurveyAnswer, SurveyConfig } from "../src/api";

// ---------------------------------------------------------------------------------------------------------
// Translations: shopify.i18n.translate as the host does it, from the extension's own locale files
// ---------------------------------------------------------------------------------------------------------

export type Locale = "en" | "fr";
const LOCALE_FILES: Record<Locale, string> = { en: "en.default.json", fr: "fr.json" };

export function localeMessages(locale: Locale): Record<string, unknown> {
  return JSON.parse(readFileSync(join(import.meta.dirname, "..", "locales", LOCALE_FILES[locale]), "utf8"));
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Nested keys, `{{name}}` replacements, `count` plurals; a missing key or replacement throws. */
export function translator(locale: Locale): I18nTranslate {
  const messages = localeMessages(locale);
  const plurals = new Intl.PluralRules(locale);
  const translate = (key: string, options: Record<string, unknown> = {}): string => {
    let value: unknown = key
      .split(".")
      .reduce<unknown>((node, part) => (isRecord(node) ? node[part] : undefined), messages);
    if (isRecord(value) && typeof options.count === "number")
      value = value[plurals.select(options.count)] ?? value.other;
    if (typeof value !== "string") throw new Error(`no ${locale} translation for "${key}"`);
    return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
      if (!(name in options)) throw new Error(`"${key}" needs {{${name}}}`);
      return String(options[name]);
    });
  };
  return translate as I18nTranslate;
}

// ---------------------------------------------------------------------------------------------------------
// A fake of the app's survey API (the contract in src/api.ts), recording every request
// ---------------------------------------------------------------------------------------------------------

export interface RecordedRequest {
  method: string;
  url: URL;
  authorization: string | null;
  contentType: string | null;
  /** the raw body, to compare resends byte for byte */
  rawBody: string | null;
  body: unknown;
}

/** One scripted reply: a response, a network error, or a network error after the server handled it. */
export type Reply = Response | Error | { lostAfterHandling: true };

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

export const networkError = () => new TypeError("Failed to fetch");

export class FakeSurveyApi {
  readonly requests: RecordedRequest[] = [];
  /** answers the server has recorded (one per order, like the real one) */
  readonly recorded: Array<{ confirmationNumber: string; optionKey: string; otherText?: string }> = [];
  private readonly scripted: Record<"GET" | "POST", Reply[]> = { GET: [], POST: [] };

  constructor(public survey: SurveyConfig | null, public answer: SurveyAnswer | null = null) {}

  /** Replies for the next GET requests, in order; then the normal behaviour. */
  nextGet(...replies: Reply[]) {
    this.scripted.GET.push(...replies);
    return this;
  }

  nextPost(...replies: Reply[]) {
    this.scripted.POST.push(...replies);
    return this;
  }

  get gets() {
    return this.requests.filter((request) => request.method === "GET");
  }

  get posts() {
    return this.requests.filter((request) => request.method === "POST");
  }

  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    const method = (init.method ?? "GET").toUpperCase() as "GET" | "POST";
    const rawBody = typeof init.body === "string" ? init.body : null;
    const request: RecordedRequest = {
      method,
      url: new URL(String(input)),
      authorization: headers.get("Authorization"),
      contentType: headers.get("Content-Type"),
      rawBody,
      body: rawBody === null ? null : JSON.parse(rawBody),
    };
    this.requests.push(request);
    const reply = this.scripted[method].shift();
    if (reply instanceof Response) return reply;
    if (reply instanceof Error) throw reply;
    const response = this.handle(request);
    if (reply?.lostAfterHandling) throw networkError();
    return response;
  };

  private handle(request: RecordedRequest): Response {
    if (request.authorization !== "Bearer mock-session-token") return new Response(null, { status: 401 });
    if (request.method === "GET") {
      if (!request.url.searchParams.get("confirmationNumber"))
        return json(400, { error: { message: "missing", field: "confirmationNumber" } });
      return json(200, this.survey ? { survey: this.survey, answer: this.answer } : { survey: null });
    }
    const body = request.body as { confirmationNumber: string; optionKey: string; otherText?: string };
    if (this.answer) return json(200, { status: "already-answered", answer: this.answer });
    const option = this.survey?.options.find((candidate) => candidate.key === body.optionKey);
    if (!option) return json(400, { error: { message: "Unknown option", field: "optionKey" } });
    this.recorded.push(body);
    this.answer = { optionKey: option.key, optionLabel: option.label ?? "Other" };
    return json(201, { status: "recorded", answer: this.answer });
  }
}

export const SURVEY: SurveyConfig = {
  question: null,
  options: [
    { key: "creator-ana", label: "Ana Lopez", kind: "CREATOR" },
    { key: "channel-instagram", label: "Instagram", kind: "CHANNEL" },
    { key: "creator-ben", label: "Ben Okafor", kind: "CREATOR" },
    { key: "other", label: null, kind: "OTHER" },
  ],
  otherMaxLength: 200,
};

// ---------------------------------------------------------------------------------------------------------
// The rendered extension
// ---------------------------------------------------------------------------------------------------------

/**
 * Retries `assertion` until it passes, letting promises, renders and effects run. Under fake timers it
 * runs the timers that are due (Preact runs effects from a zero-delay timeout) but never moves the clock.
 */
export async function waitFor<T>(assertion: () => T | Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await nextTurn();
      if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(0);
    }
  }
}

/**
 * Lets pending promises, renders and effects run (Preact runs effects after the next animation frame),
 * in real time even under fake timers: for asserting that something did NOT happen.
 */
export async function settle() {
  for (let i = 0; i < 3; i++) {
    await nextTurn();
    await realDelay(20);
    if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(0);
  }
}

/** Unmounts the extension and runs what is left, so no test leaves Preact's effect queue waiting on a fake timer. */
export async function cleanUp(tearDown: () => void) {
  render(null, document.body);
  if (vi.isFakeTimers()) await vi.runAllTimersAsync();
  vi.useRealTimers();
  tearDown();
}

export const $ = <K extends keyof HTMLElementTagNameMap>(selector: K) => document.body.querySelector(selector);
export const $$ = <K extends keyof HTMLElementTagNameMap>(selector: K) => [...document.body.querySelectorAll(selector)];

export function choices() {
  return $$("s-choice").map((choice) => ({ value: choice.getAttribute("value"), label: choice.textContent }));
}

export function button(label: string) {
  const found = $$("s-button").find((candidate) => candidate.textContent === label);
  if (!found) throw new Error(`no "${label}" button in: ${document.body.innerHTML}`);
  return found;
}

export function buttonLabels() {
  return $$("s-button").map((candidate) => candidate.textContent);
}

/** What the shopper does on the choice list: the host sets `values` and fires `change`. */
export async function choose(value: string) {
  const list = $("s-choice-list");
  if (!list) throw new Error("no choice list");
  list.values = [value];
  list.dispatchEvent(new Event("change"));
  await settle();
}

export async function typeOther(text: string) {
  const field = $("s-text-field");
  if (!field) throw new Error("no text field");
  field.value = text;
  field.dispatchEvent(new Event("input"));
  await settle();
}

export function headings() {
  return $$("s-section").map((section) => section.getAttribute("heading"));
}
