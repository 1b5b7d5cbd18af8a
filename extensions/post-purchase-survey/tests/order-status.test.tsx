/// <reference types="@shopify/ui-extensions/customer-account.order-status.block.render" />
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach, expect, test, vi } from "vitest";

import {
  $,
  button,
  choices,
  choose,
  cleanUp,
  FakeSurveyApi,
  headings,
  settle,
  SURVEY,
  translator,
  waitFor,
} from "./helpers";

const extension = getExtension("customer-account.order-status.block.render");
let api: FakeSurveyApi;

beforeEach(() => {
  extension.setUp();
  api = new FakeSurveyApi(SURVEY);
  extension.fetch = api.fetch;
  extension.shopify.order.value = { id: "gid://shopify/Order/5001", name: "#1042", confirmationNumber: "QWE987RTY" };
  extension.shopify.i18n.translate = translator("en");
});

afterEach(() => cleanUp(() => extension.tearDown()));

test("asks on the Order status page through the customer account endpoint, with the order's confirmation number", async () => {
  await extension.render();
  await waitFor(() => expect($("s-choice-list")).not.toBeNull());

  expect($("s-choice-list")?.getAttribute("label")).toBe("How did you hear about us?");
  expect(choices().map((choice) => choice.label)).toEqual(["Ana Lopez", "Instagram", "Ben Okafor", "Other"]);
  const [get] = api.gets;
  expect(`${get!.url.origin}${get!.url.pathname}`).toBe("https://creator-ledger.test/api/survey/order-status");
  expect(get!.url.searchParams.get("confirmationNumber")).toBe("QWE987RTY");
  expect(get!.authorization).toBe("Bearer mock-session-token");

  await choose("creator-ben");
  button("Send answer").click();

  await waitFor(() => expect(headings()).toEqual(["Thanks for your answer!"]));
  expect($("s-text")?.textContent).toBe("You told us: Ben Okafor");
  expect(api.posts).toHaveLength(1);
  expect(api.posts[0]!.url.href).toBe("https://creator-ledger.test/api/survey/order-status");
  expect(api.posts[0]!.body).toEqual({ confirmationNumber: "QWE987RTY", optionKey: "creator-ben" });
  expect(await extension.shopify.storage.read("answer:QWE987RTY")).toEqual({
    optionKey: "creator-ben",
    optionLabel: "Ben Okafor",
  });
});

test("an order answered on the Thank you page shows the thanks", async () => {
  api.answer = { optionKey: "channel-instagram", optionLabel: "Instagram" };
  await extension.render();

  await waitFor(() => expect(headings()).toEqual(["Thanks for your answer!"]));
  expect($("s-text")?.textContent).toBe("You told us: Instagram");
});

test("renders nothing while the order has no confirmation number", async () => {
  extension.shopify.order.value = { id: "gid://shopify/Order/5001", name: "#1042", confirmationNumber: undefined };
  await extension.render();
  await settle();

  expect(document.body.innerHTML).toBe("");
  expect(api.requests).toHaveLength(0);
});

test("a rejected customer account token (401) hides the survey instead of retrying", async () => {
  vi.spyOn(extension.shopify.sessionToken, "get").mockResolvedValue("expired-token");
  await extension.render();
  await waitFor(() => expect(api.gets).toHaveLength(1));
  await settle();

  expect(document.body.innerHTML).toBe("");
  expect(api.gets).toHaveLength(1);
});
