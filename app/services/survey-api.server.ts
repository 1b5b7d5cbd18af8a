import type { Shop, SurveyResponse, SurveySurface } from "@prisma/client";
import { prisma } from "~/db.server";
import {
  confirmationNumberSchema,
  otherTextFor,
  requestErrorOf,
  surveyAnswerRequestSchema,
  type RequestError,
} from "~/domain/survey/answer-request";
import { findSurveyOption, storedOptionLabel, surveyOptions } from "~/domain/survey/options";
import { parseSurveySettings, SURVEY_LIMITS } from "~/domain/survey/settings";
import { enqueueSettlements } from "~/jobs/commissions-worker.server";
import { enqueueAfterCommit } from "~/models/contract.server";
import { findShopByDomain } from "~/models/shop.server";
import { findSurveyAnswer, surveyCreatorCandidates } from "~/models/survey.server";
import { commissionsQueue, webRedis } from "~/queues.server";
import { env } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { consumeRateLimit, type RateLimit } from "./rate-limit.server";
import { recordSurveyAnswer } from "./survey-answers.server";

/*
 * The post-purchase survey's backend, shared by the thank-you page (checkout session tokens) and the order status
 * page (customer account session tokens). The shop is the token's `dest`, nothing else. Every answer carries CORS
 * headers, so the extension (running on Shopify's origin) can read errors too.
 *
 *   OPTIONS                        204, the CORS preflight
 *   GET  ?confirmationNumber=…     200 { survey: null } when the survey is off, else
 *                                  200 { survey: { question, options: [{ key, label, kind }], otherMaxLength },
 *                                        answer: null | { optionKey, optionLabel } }
 *   POST { confirmationNumber, optionKey, otherText? }
 *                                  201 { status: "recorded", answer } · 200 { status: "already-answered", answer }
 *   400 { error: { message, field? } } · 401 token missing, invalid, expired, or for a shop without the app
 *   429 + Retry-After: more than SURVEY_RATE_LIMIT requests for one order · 405 any other method
 * Nothing is written on any 4xx.
 */

/** Requests per order (shop + confirmation number) and minute: a shopper needs two or three. */
export const SURVEY_RATE_LIMIT: RateLimit = { limit: 10, windowMs: 60_000 };
/** Bodies are a few hundred bytes; anything much larger is not the extension talking. */
const MAX_BODY_BYTES = 16 * 1024;

type Cors = (response: Response) => Response;

/** authenticate.public.checkout or authenticate.public.customerAccount. */
export type AuthenticateSurveyRequest = (
  request: Request,
) => Promise<{ sessionToken: { dest: string; aud: string | string[] }; cors: Cors }>;

export interface SurveyApiOptions {
  surface: SurveySurface;
  authenticate: AuthenticateSurveyRequest;
}

export async function surveyApiResponse(request: Request, options: SurveyApiOptions): Promise<Response> {
  let context: Awaited<ReturnType<AuthenticateSurveyRequest>>;
  try {
    context = await options.authenticate(request);
  } catch (thrown) {
    if (thrown instanceof Response) return refusedByAuthentication(thrown, request, options.authenticate);
    throw thrown;
  }
  const { sessionToken, cors } = context;
  try {
    const shop = await shopOfToken(sessionToken);
    if (!shop) return cors(unauthorized("This session token is not for a shop that has the app installed"));
    if (request.method === "GET" || request.method === "HEAD") return cors(await getSurvey(request, shop));
    if (request.method === "POST") return cors(await postAnswer(request, shop, options));
    return cors(
      json({ error: { message: `${request.method} is not supported` } }, 405, { Allow: "GET, POST, OPTIONS" }),
    );
  } catch (error) {
    logger.error({ err: error, surface: options.surface }, "survey request failed");
    return cors(json({ error: { message: "Something went wrong on our side. Please try again." } }, 500));
  }
}

async function getSurvey(request: Request, shop: Shop): Promise<Response> {
  const confirmationNumber = confirmationNumberSchema.safeParse(
    new URL(request.url).searchParams.get("confirmationNumber") ?? undefined,
  );
  if (!confirmationNumber.success) {
    return badRequest({ ...requestErrorOf(confirmationNumber.error), field: "confirmationNumber" });
  }
  const limited = await rateLimited(shop, confirmationNumber.data);
  if (limited) return limited;

  const settings = parseSurveySettings(shop.surveySettings);
  if (!settings.enabled) return json({ survey: null });
  const [creators, answer] = await Promise.all([
    surveyCreatorCandidates(shop.id, settings),
    findSurveyAnswer(shop.id, confirmationNumber.data),
  ]);
  const surveyAnswers = surveyOptions(settings, creators);
  return json({
    survey: {
      question: settings.question,
      options: surveyAnswers.map(({ key, label, kind }) => ({ key, label, kind })),
      otherMaxLength: SURVEY_LIMITS.otherTextLength,
    },
    answer: answer ? answerJson(answer) : null,
  });
}

async function postAnswer(request: Request, shop: Shop, options: SurveyApiOptions): Promise<Response> {
  const body = await readJson(request);
  if (!body.ok) return badRequest(body.error);
  const parsed = surveyAnswerRequestSchema.safeParse(body.value);
  if (!parsed.success) return badRequest(requestErrorOf(parsed.error));
  const { confirmationNumber, optionKey, otherText } = parsed.data;
  const limited = await rateLimited(shop, confirmationNumber);
  if (limited) return limited;

  const settings = parseSurveySettings(shop.surveySettings);
  if (!settings.enabled) return badRequest({ message: "This shop's survey is turned off", field: "optionKey" });
  const option = findSurveyOption(settings, await surveyCreatorCandidates(shop.id, settings), optionKey);
  if (!option) return badRequest({ message: "optionKey is not one of this survey's answers", field: "optionKey" });
  const text = otherTextFor(option, otherText);
  if (!text.ok) return badRequest(text.error);

  const recorded = await recordSurveyAnswer(prisma, shop.id, {
    confirmationNumber,
    optionKey: option.key,
    optionLabel: storedOptionLabel(option),
    creatorId: option.creatorId,
    otherText: text.value,
    surface: options.surface,
  });
  if (recorded.changedPeriods.length > 0) {
    await enqueueAfterCommit(() => enqueueSettlements(commissionsQueue(), recorded.changedPeriods), {
      shopId: shop.id,
      confirmationNumber,
    });
  }
  logger.info({ shopId: shop.id, surface: options.surface, created: recorded.created }, "survey answer received");
  return recorded.created
    ? json({ status: "recorded", answer: answerJson(recorded.response) }, 201)
    : json({ status: "already-answered", answer: answerJson(recorded.response) });
}

/** The shop a checkout or customer account token is for: `dest` is its domain (with or without https://). */
async function shopOfToken(token: { dest: string; aud: string | string[] }): Promise<Shop | null> {
  // Shopify's library does not check the audience of extension tokens; a token for another app of the same
  // partner would still be signed with a different secret, but the audience is checked all the same.
  const apiKey = env().SHOPIFY_API_KEY;
  const audience = Array.isArray(token.aud) ? token.aud : [token.aud];
  if (!audience.includes(apiKey)) return null;
  const domain = String(token.dest ?? "")
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/\/+$/, "");
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(domain)) return null;
  const shop = await findShopByDomain(domain);
  return shop && !shop.uninstalledAt ? shop : null;
}

async function rateLimited(shop: Shop, confirmationNumber: string): Promise<Response | null> {
  const key = `${env().QUEUE_PREFIX}:survey-rate:${shop.id}:${confirmationNumber}`;
  const outcome = await consumeRateLimit(webRedis(), key, SURVEY_RATE_LIMIT);
  if (outcome.allowed) return null;
  return json({ error: { message: "Too many requests for this order. Please try again in a minute." } }, 429, {
    "Retry-After": String(outcome.retryAfterSeconds),
  });
}

async function readJson(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; error: RequestError }> {
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > MAX_BODY_BYTES) return { ok: false, error: { message: "The body is too large" } };
  const text = await readAtMost(request, MAX_BODY_BYTES);
  if (text === null) return { ok: false, error: { message: "The body is too large" } };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: { message: "The body must be JSON" } };
  }
}

/**
 * The body as text, or null once it passes `limit` bytes: a body streamed without a Content-Length is read only that
 * far, never buffered whole.
 */
async function readAtMost(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function answerJson(answer: Pick<SurveyResponse, "optionKey" | "optionLabel">) {
  return { optionKey: answer.optionKey, optionLabel: answer.optionLabel };
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

const badRequest = (error: RequestError) => json({ error }, 400);
const unauthorized = (message: string) => json({ error: { message } }, 401);

/**
 * What authenticate threw, with the CORS headers Shopify's library gives its own preflight answer (it adds none to
 * its refusals, and the extension could not read them): the preflight is answered as is, a 401 gets a JSON body.
 */
async function refusedByAuthentication(
  thrown: Response,
  request: Request,
  authenticate: AuthenticateSurveyRequest,
): Promise<Response> {
  if (request.method === "OPTIONS") return thrown;
  const response =
    thrown.status === 401
      ? unauthorized("The session token is missing, invalid or expired")
      : json({ error: { message: thrown.statusText || "The request was refused" } }, thrown.status);
  const preflight = await authenticate(new Request(request.url, { method: "OPTIONS", headers: request.headers })).then(
    () => null,
    (answer: unknown) => (answer instanceof Response ? answer : null),
  );
  preflight?.headers.forEach((value, name) => {
    if (name.startsWith("access-control-") && name !== "access-control-max-age") response.headers.set(name, value);
  });
  return response;
}
