import { formatMoney } from "../money";
import { parseSourceKey, type Entitlement, type PlannedEntry, type PostedEntry } from "./commission-facts";

export interface ReconcileContext {
  currencyCode: string;
  /** Order names by orderId ("#1001"), so reversals name orders the way the merchant does. */
  orderNames?: Readonly<Record<string, string>>;
  /** Deliverable titles by id, for the same reason. */
  deliverableTitles?: Readonly<Record<string, string>>;
  /** Why the facts changed, in the caller's words ("order cancelled"); without it a reversal says what is owed now. */
  cause?: string;
}

/**
 * Brings the ledger in line with what is owed by appending entries only. For each source whose posted total
 * differs from its entitlement, the posted total is reversed and the entitlement posted anew, so every entry
 * reads on its own ("10% of $60.00") instead of as a delta. Sources posted but no longer owed are reversed.
 *
 * Idempotency keys number each source's entries (`<sourceKey>#<n>`) from the count already posted, so replaying
 * the same facts proposes keys that already exist and two writers racing on the same source collide.
 * Output is ordered by sourceKey, reversal before new entry.
 */
export function reconcileEntries(
  expected: readonly Entitlement[],
  posted: readonly PostedEntry[],
  context: ReconcileContext,
): PlannedEntry[] {
  const expectedByKey = new Map<string, Entitlement>();
  for (const entitlement of expected) {
    if (expectedByKey.has(entitlement.sourceKey)) {
      throw new RangeError(`Two entitlements for ${entitlement.sourceKey}: a contract has one component of each kind`);
    }
    expectedByKey.set(entitlement.sourceKey, entitlement);
  }
  const postedByKey = new Map<string, { total: bigint; count: number; first: PostedEntry }>();
  for (const entry of posted) {
    const sofar = postedByKey.get(entry.sourceKey) ?? { total: 0n, count: 0, first: entry };
    postedByKey.set(entry.sourceKey, { ...sofar, total: sofar.total + entry.amountMinor, count: sofar.count + 1 });
  }

  const planned: PlannedEntry[] = [];
  for (const sourceKey of [...new Set([...expectedByKey.keys(), ...postedByKey.keys()])].sort()) {
    const owed = expectedByKey.get(sourceKey);
    const { total, count, first } = postedByKey.get(sourceKey) ?? { total: 0n, count: 0, first: undefined };
    const target = owed?.amountMinor ?? 0n;
    if (total === target) continue;

    let sequence = count;
    const idempotencyKey = () => `${sourceKey}#${sequence++}`;
    if (total !== 0n) {
      const cause = context.cause ?? (owed ? `now ${formatMoney(target, context.currencyCode)}` : "no longer owed");
      planned.push({
        sourceKey,
        kind: "REVERSAL",
        ...subjectOf(sourceKey, owed, first),
        amountMinor: -total,
        idempotencyKey: idempotencyKey(),
        reason: `Reverses ${formatMoney(total, context.currencyCode)} for ${describeSource(
          sourceKey,
          context,
        )}: ${cause}`,
      });
    }
    if (owed && target !== 0n) {
      planned.push({
        sourceKey,
        kind: owed.kind,
        orderId: owed.orderId,
        periodKey: owed.periodKey,
        amountMinor: target,
        idempotencyKey: idempotencyKey(),
        reason: owed.reason,
      });
    }
  }
  return planned;
}

/**
 * A reversal belongs to the same order or period as what it reverses, even once nothing is owed any more: the
 * entitlement says so when there is one, else the posted entries, else the key.
 */
function subjectOf(
  sourceKey: string,
  owed: Entitlement | undefined,
  posted: PostedEntry | undefined,
): Pick<PlannedEntry, "orderId" | "periodKey"> {
  if (owed) return { orderId: owed.orderId, periodKey: owed.periodKey };
  const parsed = parseSourceKey(sourceKey);
  return {
    orderId: posted?.orderId !== undefined ? posted.orderId : parsed?.scope === "order" ? parsed.orderId : null,
    periodKey:
      posted?.periodKey !== undefined ? posted.periodKey : parsed?.scope === "period" ? parsed.periodKey : null,
  };
}

function describeSource(sourceKey: string, context: ReconcileContext): string {
  const parsed = parseSourceKey(sourceKey);
  if (parsed === null) return sourceKey;
  switch (parsed.scope) {
    case "order": {
      const order = `order ${context.orderNames?.[parsed.orderId] ?? parsed.orderId}`;
      const what = { "revenue-share": "revenue share", cpa: "CPA", tiered: "first-tier revenue share" }[parsed.source];
      return `${what} on ${order}`;
    }
    case "period": {
      const what = {
        "tier-adjustment": "tier top-up",
        bonus: "performance bonus",
        retainer: "monthly retainer",
        "base-fee": "monthly base fee",
        cap: "cap adjustment",
        "draw-advance": "draw advance",
        "draw-recovery": "draw recovery",
      }[parsed.source];
      return `${what} for ${parsed.periodKey}`;
    }
    case "deliverable": {
      const title = context.deliverableTitles?.[parsed.deliverableId];
      return title === undefined ? `flat fee for deliverable ${parsed.deliverableId}` : `flat fee for “${title}”`;
    }
  }
}
