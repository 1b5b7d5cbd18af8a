// How a merchant reads a background job: what it was for, and what to do when it failed. Pure: the caller looks up
// the names (order, creator, webhook topic, sync kind) a job's data points at and passes them in.

/** What a job works on, with the names the shop knows it by (null when the row it named is gone). */
export type JobSubject =
  | { kind: "webhook"; topic: string | null; orderName: string | null }
  /** An order an import or reconciliation read from Shopify, processed like a webhook. */
  | { kind: "synced-order"; orderName: string | null }
  | { kind: "settle-period"; creatorName: string | null; periodKey: string }
  | { kind: "fetch-journey"; orderName: string | null }
  | { kind: "order-sync"; syncKind: "IMPORT" | "RECONCILE" | null }
  /** Reading which products a collection holds, for a contract's collection rate. */
  | { kind: "collection-sync"; collectionTitle: string | null }
  | { kind: "send-statements"; periodLabel: string }
  /** Rebuilding the daily rollups the leaderboard, creator pages and dashboard read. */
  | { kind: "refresh-rollups" }
  | { kind: "other"; jobName: string };

export interface JobDescription {
  /** "Process orders/create webhook for #1001", "Settle commissions for Maya, Nov 2026", … */
  summary: string;
  /** Whether running the job again can do its work; when not, `instead` says what does. */
  retryable: boolean;
  instead: string | null;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Whether running a failed job of this kind again redoes its work. An order sync's step that failed for good marked
 * its sync failed, so the same step run again finds nothing to do: a new sync is what helps.
 */
export function canRetry(kind: JobSubject["kind"]): boolean {
  return kind !== "order-sync" && kind !== "collection-sync";
}

export function describeJob(subject: JobSubject): JobDescription {
  switch (subject.kind) {
    case "webhook": {
      const forOrder = subject.orderName ? ` for ${subject.orderName}` : "";
      return retryable(subject.topic ? `Process ${webhookTopicName(subject.topic)} webhook${forOrder}` : `Process a webhook from Shopify${forOrder}`);
    }
    case "synced-order":
      return retryable(subject.orderName ? `Process order ${subject.orderName} read from Shopify` : "Process an order read from Shopify");
    case "settle-period":
      return retryable(`Settle commissions for ${subject.creatorName ?? "a removed creator"}, ${payPeriodName(subject.periodKey)}`);
    case "fetch-journey":
      return retryable(`Fetch customer journey${subject.orderName ? ` for ${subject.orderName}` : " for an order"}`);
    case "order-sync":
      if (subject.syncKind === "RECONCILE") {
        return {
          summary: "Check Shopify for orders the app missed",
          retryable: canRetry(subject.kind),
          instead: "The next check starts on its own within 15 minutes.",
        };
      }
      return {
        summary: subject.syncKind === "IMPORT" ? "Import past orders from Shopify" : "Sync orders with Shopify",
        retryable: canRetry(subject.kind),
        instead: "Start a new import from Orders › Import past orders.",
      };
    case "collection-sync":
      return {
        summary: `Read the products of collection ${subject.collectionTitle ? `“${subject.collectionTitle}”` : "(removed)"} from Shopify`,
        retryable: canRetry(subject.kind),
        instead: "It is read again every day, and whenever you save a contract that names it.",
      };
    case "send-statements":
      return retryable(`Send creator statements for ${subject.periodLabel}`);
    case "refresh-rollups":
      return retryable("Update reports (leaderboard, creator pages, dashboard) with the latest orders and costs");
    case "other":
      return retryable(`Background task ${subject.jobName}`);
  }
}

function retryable(summary: string): JobDescription {
  return { summary, retryable: true, instead: null };
}

/** Shopify's name for a webhook topic: ORDERS_CREATE → orders/create, CUSTOMERS_DATA_REQUEST → customers/data_request. */
export function webhookTopicName(topic: string): string {
  if (topic.includes("/")) return topic.toLowerCase();
  const lower = topic.toLowerCase();
  const split = lower.indexOf("_");
  return split === -1 ? lower : `${lower.slice(0, split)}/${lower.slice(split + 1)}`;
}

/** A pay period as merchants say it: "2026-11" → "Nov 2026" (anything else is shown as it is). */
export function payPeriodName(periodKey: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(periodKey);
  const month = match ? Number(match[2]) : 0;
  return match && month >= 1 && month <= 12 ? `${MONTHS[month - 1]} ${match[1]}` : periodKey;
}
