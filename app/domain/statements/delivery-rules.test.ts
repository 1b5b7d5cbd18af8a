import { describe, expect, it } from "vitest";
import { decideOriginalDelivery, recipientSkipReason, skipReasonText, smtpFailureOutcome, statementMessageId } from "./delivery-rules";

const attempt = (id: string, status: "SENDING" | "SENT" | "FAILED" | "UNCONFIRMED", n: number, kind: "ORIGINAL" | "RESEND" = "ORIGINAL") => ({
  id,
  kind,
  status,
  attempt: n,
});

describe("who gets a statement", () => {
  it("skips creators the shop excluded, who opted out, or who have no email, in that order", () => {
    const creator = { email: "ada@example.com", statementsOptOut: false, statementsExcluded: false };
    expect(recipientSkipReason(creator)).toBeNull();
    expect(recipientSkipReason({ ...creator, email: " " })).toBe("NO_EMAIL");
    expect(recipientSkipReason({ ...creator, email: null, statementsOptOut: true })).toBe("OPTED_OUT");
    expect(recipientSkipReason({ ...creator, statementsOptOut: true, statementsExcluded: true })).toBe("EXCLUDED");
    expect(skipReasonText("NO_EXCHANGE_RATE", { payoutCurrency: "EUR" })).toBe("No exchange rate for EUR: add one in statement settings");
  });
});

describe("the original delivery", () => {
  it("is sent when nothing reached the creator yet, numbering attempts after every earlier one", () => {
    expect(decideOriginalDelivery([])).toEqual({ action: "SEND", attempt: 1 });
    expect(decideOriginalDelivery([attempt("a", "FAILED", 1), attempt("b", "FAILED", 2)])).toEqual({ action: "SEND", attempt: 3 });
  });

  it("is never sent twice: once sent, or once it may have been sent, only an explicit resend sends it again", () => {
    expect(decideOriginalDelivery([attempt("a", "FAILED", 1), attempt("b", "SENT", 2)])).toEqual({ action: "ALREADY_SENT" });
    expect(decideOriginalDelivery([attempt("a", "UNCONFIRMED", 1)])).toEqual({ action: "UNCONFIRMED" });
    // Found SENDING while holding the lock: its sender stopped between sending and recording.
    expect(decideOriginalDelivery([attempt("a", "SENDING", 1)])).toEqual({ action: "MARK_UNCONFIRMED", deliveryIds: ["a"] });
    // Resends neither count as the original nor block it; they do take attempt numbers.
    expect(decideOriginalDelivery([attempt("r", "SENT", 4, "RESEND")])).toEqual({ action: "SEND", attempt: 5 });
  });
});

describe("SMTP failures", () => {
  it("are safe to retry only when the message cannot have been delivered", () => {
    expect(smtpFailureOutcome({ code: "EMESSAGE", responseCode: 451 })).toBe("FAILED");
    expect(smtpFailureOutcome({ code: "EENVELOPE", responseCode: 550 })).toBe("FAILED");
    expect(smtpFailureOutcome({ code: "EAUTH", responseCode: 535 })).toBe("FAILED");
    expect(smtpFailureOutcome({ code: "ESOCKET", originalCode: "ECONNREFUSED" })).toBe("FAILED");
    // Nodemailer reports a connection lost mid-message like any other: the server may have taken it.
    expect(smtpFailureOutcome({ code: "ECONNECTION" })).toBe("UNCONFIRMED");
    expect(smtpFailureOutcome({ code: "ETIMEDOUT" })).toBe("UNCONFIRMED");
    expect(smtpFailureOutcome({})).toBe("UNCONFIRMED");
  });

  it("messages are named by their statement and attempt, on the sender's domain", () => {
    expect(statementMessageId("3c90c3cc-0d44-4b50-8888-8dd25736052a", 2, "statements@mail.example.com")).toBe(
      "<statement-3c90c3cc-0d44-4b50-8888-8dd25736052a-2@mail.example.com>",
    );
  });
});
