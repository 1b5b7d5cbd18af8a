import { createHash } from "node:crypto";

/**
 * SHA-256 (hex) of the trimmed, lower-cased address: enough to recognise a creator buying through their own code
 * without keeping anyone's email. Null when there is no address.
 */
export function hashEmail(email: string | null | undefined): string | null {
  const normalized = email?.trim().toLowerCase();
  if (!normalized) return null;
  return createHash("sha256").update(normalized, "utf8").digest("hex");
}
