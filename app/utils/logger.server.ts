import pino from "pino";

// Customer data never belongs in logs: these paths are censored wherever they appear.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.CREATOR_LEDGER_PROCESS ?? "web" },
  redact: {
    paths: ["*.email", "*.phone", "*.accessToken", "*.payload", "headers.authorization", "*.customer"],
    censor: "[redacted]",
  },
});
