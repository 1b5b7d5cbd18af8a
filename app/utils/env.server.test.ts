import { describe, expect, it } from "vitest";
import { parseEnv } from "./env.server";

const base = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/creator_ledger",
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
};

describe("SMTP settings for statements", () => {
  it("are optional, and read from SMTP_URL or from their parts", () => {
    expect(parseEnv(base).SMTP_URL).toBeUndefined();
    expect(parseEnv({ ...base, SMTP_URL: "smtps://user:pass@smtp.example.com:465", STATEMENTS_FROM: "statements@example.com" })).toMatchObject({
      SMTP_URL: "smtps://user:pass@smtp.example.com:465",
    });
    expect(
      parseEnv({ ...base, SMTP_HOST: "smtp.example.com", SMTP_PORT: "587", SMTP_USER: "u", SMTP_PASS: "p", SMTP_SECURE: "false", STATEMENTS_FROM: "statements@example.com" }),
    ).toMatchObject({ SMTP_HOST: "smtp.example.com", SMTP_PORT: 587, SMTP_SECURE: false });
  });

  it("say clearly what is wrong", () => {
    expect(() => parseEnv({ ...base, SMTP_URL: "http://smtp.example.com" })).toThrow(/SMTP_URL: SMTP_URL must look like smtp:\/\//);
    expect(() => parseEnv({ ...base, SMTP_URL: "smtp://smtp.example.com" })).toThrow(/STATEMENTS_FROM: required with SMTP/);
    expect(() => parseEnv({ ...base, SMTP_HOST: "smtp.example.com", SMTP_USER: "u", STATEMENTS_FROM: "s@example.com" })).toThrow(/SMTP_USER and SMTP_PASS go together/);
    expect(() => parseEnv({ ...base, SMTP_URL: "smtp://a", SMTP_HOST: "b", STATEMENTS_FROM: "s@example.com" })).toThrow(/either SMTP_URL or SMTP_HOST/);
    expect(() => parseEnv({ ...base, SMTP_PORT: "25" })).toThrow(/need SMTP_HOST/);
  });
});
