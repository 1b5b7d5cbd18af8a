/// <reference types="@shopify/ui-extensions/purchase.thank-you.block.render" />
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";

import {
  $,
  button,
  buttonLabels,
  choices,
  choose,
  cleanUp,
  FakeSurveyApi,
  headings,
  json,
  networkError,
  settle,
  SURVEY,
  translator,
  typeOther,
  waitFor,
  type Locale,
} from "./helpers";

const extension = getExtension("purchase.thank-you.block.render");
const ENDPOINT = "https://creator-ledger.test/api/survey/thank-you";
let api: FakeSurveyApi;

function setUp({ locale = "en", survey = SURVEY }: { locale?: Locale; survey?: typeof SURVEY | null } = {}) {
  api = new FakeSurveyApi(survey);
  extension.fetch = api.fetch;
  extension.shopify.orderConfirmation.value = {
    order: { id: "gid://shopify/Order/5001" },
    number: "ABC123XYZ",
    isFirstOrder: true,
  };
  extension.shopify.i18n.translate = translator(locale);
  extension.shopify.localization.extensionLanguage.value = { isoCode: locale };
}

async function renderForm() {
  await extension.render();
  await waitFor(() => expect($("s-choice-list")).not.toBeNull());
}

beforeEach(() => {
  extension.setUp();
  setUp();
});

afterEach(() => cleanUp(() => extension.tearDown()));

describe("the question", () => {
  test("shows the default question and the merchant's options in the server's order, with a localized Other", async () => {
    await renderForm();

    expect(headings()).toEqual(["One quick question"]);
    expect($("s-choice-list")?.getAttribute("label")).toBe("How did you hear about us?");
    expect(choices()).toEqual([
      { value: "creator-ana", label: "Ana Lopez" },
      { value: "channel-instagram", label: "Instagram" },
      { value: "creator-ben", label: "Ben Okafor" },
      { value: "other", label: "Other" },
    ]);
    expect($("s-text-field")).toBeNull(); // only once "Other" is chosen
    expect(buttonLabels()).toEqual(["Send answer"]);

    expect(api.gets).toHaveLength(1);
    const [get] = api.gets;
    expect(`${get!.url.origin}${get!.url.pathname}`).toBe(ENDPOINT);
    expect(get!.url.searchParams.get("confirmationNumber")).toBe("ABC123XYZ");
    expect(get!.authorization).toBe("Bearer mock-session-token");
  });

  test("shows the merchant's own question and their name for Other", async () => {
    api.survey = {
      ...SURVEY,
      question: "Who sent you our way?",
      options: [...SURVEY.options.slice(0, 3), { key: "other", label: "Somewhere else", kind: "OTHER" }],
    };
    await renderForm();

    expect($("s-choice-list")?.getAttribute("label")).toBe("Who sent you our way?");
    expect(choices().at(-1)).toEqual({ value: "other", label: "Somewhere else" });
  });

  test("renders nothing when the merchant turned the survey off", async () => {
    api.survey = null;
    const write = vi.spyOn(extension.shopify.storage, "write");
    await extension.render();
    await waitFor(() => expect(api.gets).toHaveLength(1));
    await settle();

    expect(document.body.innerHTML).toBe("");
    expect(write).not.toHaveBeenCalled();
  });

  test("renders nothing without a confirmation number", async () => {
    extension.shopify.orderConfirmation.value = {
      order: { id: "gid://shopify/Order/5001" },
      number: undefined,
      isFirstOrder: false,
    };
    await extension.render();
    await settle();

    expect(document.body.innerHTML).toBe("");
    expect(api.requests).toHaveLength(0);
  });

  test("renders nothing (and calls nobody) when the bundle has no app URL", async () => {
    vi.stubEnv("APP_URL", "");
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await extension.render();
      await settle();
    } finally {
      vi.unstubAllEnvs();
    }

    expect(document.body.innerHTML).toBe("");
    expect(api.requests).toHaveLength(0);
    expect(error).toHaveBeenCalledWith(expect.stringContaining("APP_URL"));
  });
});

describe("answering", () => {
  test("sends the chosen option with the session token, then thanks the shopper and remembers the answer", async () => {
    await renderForm();
    await choose("channel-instagram");
    button("Send answer").click();

    await waitFor(() => expect(headings()).toEqual(["Thanks for your answer!"]));
    expect($("s-text")?.textContent).toBe("You told us: Instagram");
    expect($("s-choice-list")).toBeNull();

    expect(api.posts).toHaveLength(1);
    const [post] = api.posts;
    expect(post!.url.href).toBe(ENDPOINT);
    expect(post!.authorization).toBe("Bearer mock-session-token");
    expect(post!.contentType).toBe("application/json");
    expect(post!.body).toEqual({ confirmationNumber: "ABC123XYZ", optionKey: "channel-instagram" });
    expect(api.recorded).toHaveLength(1);
    await waitFor(async () =>
      expect(await extension.shopify.storage.read("answer:ABC123XYZ")).toEqual({
        optionKey: "channel-instagram",
        optionLabel: "Instagram",
      }),
    );
  });

  test("asks for a choice before sending anything", async () => {
    await renderForm();
    button("Send answer").click();
    await settle();

    expect($("s-choice-list")?.getAttribute("error")).toBe("Choose an answer.");
    expect(api.posts).toHaveLength(0);

    await choose("creator-ben"); // choosing clears the error
    await waitFor(() => expect($("s-choice-list")?.getAttribute("error")).toBeNull());
  });

  test("shows the answer the server already has, even when it differs (answered elsewhere first)", async () => {
    await renderForm();
    api.answer = { optionKey: "creator-ana", optionLabel: "Ana Lopez" };
    await choose("creator-ben");
    button("Send answer").click();

    await waitFor(() => expect($("s-text")?.textContent).toBe("You told us: Ana Lopez"));
    expect(api.recorded).toHaveLength(0);
  });

  test("an option the merchant removed meanwhile asks for another choice", async () => {
    await renderForm();
    api.nextPost(json(400, { error: { message: "Unknown option", field: "optionKey" } }));
    await choose("creator-ben");
    button("Send answer").click();

    await waitFor(() =>
      expect($("s-choice-list")?.getAttribute("error")).toBe("That answer is no longer available. Choose another one."),
    );
    expect(headings()).toEqual(["One quick question"]);
  });
});

describe("already answered", () => {
  test("the server's answer shows the thanks instead of the question, and is remembered", async () => {
    api.answer = { optionKey: "creator-ben", optionLabel: "Ben Okafor" };
    await extension.render();

    await waitFor(() => expect(headings()).toEqual(["Thanks for your answer!"]));
    expect($("s-text")?.textContent).toBe("You told us: Ben Okafor");
    expect($("s-choice-list")).toBeNull();
    expect(api.posts).toHaveLength(0);
    await waitFor(async () =>
      expect(await extension.shopify.storage.read("answer:ABC123XYZ")).toEqual({
        optionKey: "creator-ben",
        optionLabel: "Ben Okafor",
      }),
    );
  });

  test("an answer in extension storage shows the thanks at once, without asking the server", async () => {
    await extension.shopify.storage.write("answer:ABC123XYZ", { optionKey: "creator-ana", optionLabel: "Ana Lopez" });
    await extension.render();

    await waitFor(() => expect(headings()).toEqual(["Thanks for your answer!"]));
    expect($("s-text")?.textContent).toBe("You told us: Ana Lopez");
    await settle();
    expect(api.requests).toHaveLength(0);
  });

  test("an answer stored for another order does not count", async () => {
    await extension.shopify.storage.write("answer:OTHER-ORDER", { optionKey: "creator-ana", optionLabel: "Ana Lopez" });
    await renderForm();

    expect(headings()).toEqual(["One quick question"]);
  });
});

describe("network failures", () => {
  test("a failed send is retried after a backoff with the same body, and never recorded twice", async () => {
    await renderForm();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    // The first POST reaches the server, which records the answer, but the response is lost.
    api.nextPost({ lostAfterHandling: true });
    await choose("creator-ana");
    button("Send answer").click();

    await waitFor(() => expect(api.posts).toHaveLength(1));
    await waitFor(() => expect(button("Send answer").getAttribute("loading")).toBe("true"));
    await vi.advanceTimersByTimeAsync(999);
    expect(api.posts).toHaveLength(1); // still waiting out the first backoff
    await vi.advanceTimersByTimeAsync(1);

    await waitFor(() => expect(headings()).toEqual(["Thanks for your answer!"]));
    expect($("s-text")?.textContent).toBe("You told us: Ana Lopez");
    expect(api.posts).toHaveLength(2);
    expect(api.posts[1]!.rawBody).toBe(api.posts[0]!.rawBody);
    expect(api.posts[0]!.body).toEqual({ confirmationNumber: "ABC123XYZ", optionKey: "creator-ana" });
    expect(api.posts.map((post) => post.authorization)).toEqual([
      "Bearer mock-session-token",
      "Bearer mock-session-token",
    ]);
    expect(api.recorded).toHaveLength(1);
  });

  test("when the retries run out, Try again resends the same answer", async () => {
    await renderForm();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    api.nextPost(networkError(), json(503, {}), networkError(), json(502, {}));
    await choose("other");
    await waitFor(() => expect($("s-text-field")).not.toBeNull());
    await typeOther("  A podcast about running  ");
    button("Send answer").click();

    await waitFor(() => expect(api.posts).toHaveLength(1));
    for (const backoff of [1_000, 2_000, 4_000]) await vi.advanceTimersByTimeAsync(backoff);
    await waitFor(() => expect(api.posts).toHaveLength(4));

    const banner = await waitFor(() => {
      const found = $("s-banner");
      expect(found).not.toBeNull();
      return found!;
    });
    expect(banner.getAttribute("heading")).toBe("Your answer wasn't sent");
    expect(banner.getAttribute("tone")).toBe("critical");
    expect(banner.textContent).toBe("We couldn't reach our server. Your answer is safe to send again.");
    expect(buttonLabels()).toEqual(["Try again"]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.posts).toHaveLength(4); // no more automatic retries

    button("Try again").click();
    await waitFor(() => expect(headings()).toEqual(["Thanks for your answer!"]));
    expect($("s-text")?.textContent).toBe("You told us: Other");
    expect(api.posts).toHaveLength(5);
    expect(new Set(api.posts.map((post) => post.rawBody)).size).toBe(1);
    expect(api.posts[4]!.body).toEqual({
      confirmationNumber: "ABC123XYZ",
      optionKey: "other",
      otherText: "A podcast about running",
    });
    expect(api.recorded).toHaveLength(1);
  });

  test("a rate-limited send waits as long as Retry-After says", async () => {
    await renderForm();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    api.nextPost(json(429, { error: { message: "Slow down" } }, { "Retry-After": "3" }));
    await choose("creator-ben");
    button("Send answer").click();

    await waitFor(() => expect(api.posts).toHaveLength(1));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(api.posts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await waitFor(() => expect(headings()).toEqual(["Thanks for your answer!"]));
    expect(api.posts).toHaveLength(2);
  });

  test("a question that cannot load offers Try again", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    api.nextGet(networkError(), json(500, {}), networkError(), networkError());
    await extension.render();

    await waitFor(() => expect(api.gets).toHaveLength(1));
    for (const backoff of [1_000, 2_000, 4_000]) await vi.advanceTimersByTimeAsync(backoff);
    await waitFor(() => expect($("s-text")?.textContent).toBe("We couldn't load this question."));
    expect(api.gets).toHaveLength(4);

    button("Try again").click();
    await waitFor(() => expect($("s-choice-list")).not.toBeNull());
    expect(api.gets).toHaveLength(5);
  });
});

describe("Other", () => {
  async function chooseOther() {
    await renderForm();
    await choose("other");
    return waitFor(() => {
      const field = $("s-text-field");
      expect(field).not.toBeNull();
      return field!;
    });
  }

  test("shows a labelled, required text field limited to the server's length", async () => {
    const field = await chooseOther();

    expect(field.getAttribute("label")).toBe("Tell us where");
    expect(field.getAttribute("maxlength")).toBe("200");
    expect(field.hasAttribute("required")).toBe(true);
  });

  test("needs a text", async () => {
    const field = await chooseOther();
    await typeOther("   ");
    button("Send answer").click();
    await settle();

    expect(field.getAttribute("error")).toBe("Tell us where you heard about us.");
    expect(api.posts).toHaveLength(0);
  });

  test("takes at most 200 characters", async () => {
    const field = await chooseOther();
    await typeOther("x".repeat(201));
    button("Send answer").click();
    await settle();

    expect(field.getAttribute("error")).toBe("Use 200 characters or fewer.");
    expect(api.posts).toHaveLength(0);

    await typeOther("x".repeat(200));
    await waitFor(() => expect(field.getAttribute("error")).toBeNull()); // typing clears the error
    button("Send answer").click();
    await waitFor(() => expect(api.posts).toHaveLength(1));
    expect(api.posts[0]!.body).toEqual({
      confirmationNumber: "ABC123XYZ",
      optionKey: "other",
      otherText: "x".repeat(200),
    });
  });

  test("the server's verdict on the text shows on the field", async () => {
    const field = await chooseOther();
    api.nextPost(json(400, { error: { message: "Text not allowed", field: "otherText" } }));
    await typeOther("http://spam.example");
    button("Send answer").click();

    await waitFor(() => expect(field.getAttribute("error")).toBe("Check this answer and try again."));
  });

  test("is not sent for another option", async () => {
    await chooseOther();
    await typeOther("a friend");
    await choose("creator-ana");
    await waitFor(() => expect($("s-text-field")).toBeNull());
    button("Send answer").click();

    await waitFor(() => expect(api.posts).toHaveLength(1));
    expect(api.posts[0]!.body).toEqual({ confirmationNumber: "ABC123XYZ", optionKey: "creator-ana" });
  });
});

describe("in French", () => {
  beforeEach(() => setUp({ locale: "fr" }));

  test("the question, Other, the field, the errors and the thanks are French", async () => {
    await renderForm();

    expect(headings()).toEqual(["Une petite question"]);
    expect($("s-choice-list")?.getAttribute("label")).toBe("Comment avez-vous entendu parler de nous\u00a0?");
    expect(choices().map((choice) => choice.label)).toEqual(["Ana Lopez", "Instagram", "Ben Okafor", "Autre"]);
    expect(buttonLabels()).toEqual(["Envoyer la réponse"]);

    button("Envoyer la réponse").click();
    await waitFor(() => expect($("s-choice-list")?.getAttribute("error")).toBe("Choisissez une réponse."));

    await choose("other");
    const field = await waitFor(() => {
      const found = $("s-text-field");
      expect(found).not.toBeNull();
      return found!;
    });
    expect(field.getAttribute("label")).toBe("Dites-nous où");
    await typeOther("y".repeat(201));
    button("Envoyer la réponse").click();
    await waitFor(() => expect(field.getAttribute("error")).toBe("Utilisez 200 caractères au maximum."));

    await typeOther("Un podcast");
    button("Envoyer la réponse").click();
    await waitFor(() => expect(headings()).toEqual(["Merci pour votre réponse\u00a0!"]));
    expect($("s-text")?.textContent).toBe("Votre réponse\u00a0: Autre");
  });
});
