import { describe, expect, it } from "vitest";
import { readAdminForm } from "./admin-form.server";

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://localhost:3000/app/creators/new", { method: "POST", body, headers });

async function refusal(request: Request): Promise<{ status: number; text: string }> {
  try {
    await readAdminForm(request);
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: await thrown.text() };
    throw thrown;
  }
  throw new Error("the form was accepted");
}

describe("readAdminForm", () => {
  it("gives the form back, repeated fields and all", async () => {
    const form = await readAdminForm(post(new URLSearchParams([["name", "Maya"], ["creatorIds", "a"], ["creatorIds", "b"]])));
    expect(form.get("name")).toBe("Maya");
    expect(form.getAll("creatorIds")).toEqual(["a", "b"]);
  });

  // Found by test/fuzz/admin-forms.fuzz.test.ts: a NUL reached PostgreSQL and the save failed as a 500.
  it("refuses a NUL character with a 400 naming the field", async () => {
    expect(await refusal(post(new URLSearchParams({ kind: "POST", title: "Summer\u0000reel" })))).toEqual({
      status: 400,
      text: "“title” holds a NUL character, which cannot be saved: remove it and try again",
    });
  });

  it("refuses a file where the page posts text", async () => {
    const form = new FormData();
    form.append("since", new Blob(["x"]), "since.txt");
    expect(await refusal(post(form))).toEqual({ status: 400, text: "“since” must be text, not a file" });
  });

  it("refuses a body that is not a form", async () => {
    const { status, text } = await refusal(post('{"name":"Maya"}', { "Content-Type": "application/json" }));
    expect(status).toBe(400);
    expect(text).toMatch(/not a form/);
  });
});
