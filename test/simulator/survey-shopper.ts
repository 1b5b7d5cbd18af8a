// A shopper answering the post-purchase survey the way the extension does: with the session token Shopify gives
// the extension, from the extension sandbox's origin, first reading the survey (GET), then posting the answer. Used
// by the demo (over HTTP) and by tests (calling the app's routes directly).
import { EXTENSION_ORIGIN, mintExtensionSessionToken } from "./session-tokens";

export type SurveySurfacePath = "thank-you" | "order-status";

export interface SurveyEndpoint {
  /** The app's origin, e.g. http://localhost:3000. */
  appUrl: string;
  shop: string;
  apiKey: string;
  apiSecret: string;
  surface?: SurveySurfacePath;
}

export interface SurveyOptionJson {
  key: string;
  label: string | null;
  kind: "CREATOR" | "CHANNEL" | "OTHER";
}

export interface SurveyAnswerJson {
  optionKey: string;
  optionLabel: string;
}

/** GET's answer. */
export type SurveyJson =
  | { survey: null }
  | {
      survey: { question: string | null; options: SurveyOptionJson[]; otherMaxLength: number };
      answer: SurveyAnswerJson | null;
    };

export interface SurveyRequestInit {
  method?: "GET" | "POST" | "OPTIONS" | "PUT" | "DELETE";
  confirmationNumber?: string;
  /** POST's JSON body; `rawBody` sends text as is instead. */
  body?: unknown;
  rawBody?: string;
  /** A token to send; null sends none; default: a fresh token for the endpoint's shop. */
  token?: string | null;
  origin?: string | null;
  userAgent?: string;
}

const BROWSER =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

/** The request the extension's fetch makes. */
export function surveyRequest(endpoint: SurveyEndpoint, init: SurveyRequestInit = {}): Request {
  const method = init.method ?? "GET";
  const url = new URL(`/api/survey/${endpoint.surface ?? "thank-you"}`, endpoint.appUrl);
  if (init.confirmationNumber !== undefined && method === "GET") {
    url.searchParams.set("confirmationNumber", init.confirmationNumber);
  }
  const token =
    init.token === undefined
      ? mintExtensionSessionToken({ shop: endpoint.shop, apiKey: endpoint.apiKey, apiSecret: endpoint.apiSecret }).token
      : init.token;
  const headers: Record<string, string> = { "User-Agent": init.userAgent ?? BROWSER };
  if (init.origin !== null) headers.Origin = init.origin ?? EXTENSION_ORIGIN;
  if (method === "OPTIONS") {
    headers["Access-Control-Request-Method"] = "POST";
    headers["Access-Control-Request-Headers"] = "authorization,content-type";
  } else if (token !== null) {
    headers.Authorization = `Bearer ${token}`;
  }
  const hasBody = method !== "GET" && method !== "OPTIONS" && (init.rawBody !== undefined || init.body !== undefined);
  if (hasBody) headers["Content-Type"] = "application/json";
  return new Request(url, {
    method,
    headers,
    body: hasBody ? (init.rawBody ?? JSON.stringify(init.body)) : undefined,
  });
}

export type SendRequest = (request: Request) => Promise<Response>;

export interface ShopperChoice {
  optionKey: string;
  otherText?: string;
}

/**
 * Reads the survey for the order and posts the answer `choose` picks from the options as shown (null: the shopper
 * closes the survey). Throws when the app answers anything unexpected.
 */
export async function answerSurvey(
  endpoint: SurveyEndpoint,
  confirmationNumber: string,
  choose: (options: readonly SurveyOptionJson[]) => ShopperChoice | null,
  send: SendRequest = (request) => fetch(request),
): Promise<{ survey: SurveyJson; status: number; answer: SurveyAnswerJson | null }> {
  const read = await send(surveyRequest(endpoint, { confirmationNumber }));
  if (read.status !== 200) throw new Error(`GET survey answered ${read.status}: ${await read.text()}`);
  const survey = (await read.json()) as SurveyJson;
  if (survey.survey === null) return { survey, status: 200, answer: null };
  const choice = choose(survey.survey.options);
  if (!choice) return { survey, status: 200, answer: null };
  const posted = await send(surveyRequest(endpoint, { method: "POST", body: { confirmationNumber, ...choice } }));
  if (posted.status !== 201 && posted.status !== 200) {
    throw new Error(`POST survey answered ${posted.status}: ${await posted.text()}`);
  }
  const { answer } = (await posted.json()) as { answer: SurveyAnswerJson };
  return { survey, status: posted.status, answer };
}
