import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CommissionOrder, CommissionOrderLine, Deliverable, Entitlement, PlannedEntry } from "./commission-facts";
import type { Component, ContractTerms, DeliverableKind, RateOverride, Tier } from "./contract-terms";
import { orderEntitlements } from "./order-entitlements";
import type { TermsVersion } from "./days-in-force";
import { creatorPeriodEntitlements, drawOutstandingAfter, periodEntitlements } from "./period-entitlements";
import { reconcileEntries } from "./reconcile-entries";
import { versionInForce } from "./version-in-force";

/*
 * The engine against an oracle written here from the contract's words, with plain bigint arithmetic: exact sums
 * in ten-thousandths of a minor unit (amount × basis points), each ledger entry rounded once, halves away from
 * zero. The oracle shares no code with the engine, so a mistake would have to be made twice, the same way.
 *
 * The simulation plays the jobs: after each fact changes, the order job reconciles the orders it touched and the
 * period jobs reconcile each period in turn (a period's draw depends on the ones before), each appending its
 * plan to an append-only ledger.
 *
 * The contract has versions, each from its start: an order earns under the version in force when it was placed
 * (a creator's first version also covers orders before it), a deliverable under the one in force when delivered,
 * the monthly retainer and base fee day by day under whichever version covered each day (a version covers the day
 * it starts; the first version covers its whole first month, and no month before it), and tiers, bonus, cap and
 * draw under the version in force at the month's end (no draw for a month that ends before the contract starts).
 */

const RUNS = { numRuns: 1000 };
const PERIODS = ["2026-11", "2026-12"] as const;
const CURRENCY = "USD";

// ---------- Oracle ----------

/** "12.5" → 1250n, read digit by digit. */
function oracleBasisPoints(percent: string): bigint {
  const [whole, fraction = ""] = percent.split(".");
  return BigInt(whole!) * 100n + BigInt((fraction + "00").slice(0, 2));
}

/** numerator / denominator to the nearest integer, halves away from zero. */
function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const twice = 2n * (numerator < 0n ? -numerator : numerator);
  const magnitude = (twice + denominator) / (2n * denominator);
  return numerator < 0n ? -magnitude : magnitude;
}

const toUnits = (tenThousandths: bigint) => roundHalfAwayFromZero(tenThousandths, 10_000n);
const sumOf = (values: Iterable<bigint>) => [...values].reduce((a, b) => a + b, 0n);

function oracleRevenue(order: CommissionOrder, terms: ContractTerms): bigint {
  let revenue = order.netMerchandiseMinor;
  if (terms.revenueBasis.includeShipping) revenue += order.shippingMinor;
  if (terms.revenueBasis.includeTaxes) revenue += order.taxMinor;
  return revenue;
}

function componentOf<K extends Component["kind"]>(
  terms: ContractTerms,
  kind: K,
): Extract<Component, { kind: K }> | undefined {
  return terms.components.find((c): c is Extract<Component, { kind: K }> => c.kind === kind);
}

/** Each order's expected amounts by source key. */
function oracleOrder(order: CommissionOrder, terms: ContractTerms | null): Map<string, bigint> {
  const owed = new Map<string, bigint>();
  if (terms === null || order.cancelled) return owed;
  const put = (key: string, amount: bigint) => amount !== 0n && owed.set(key, amount);

  const share = componentOf(terms, "REVENUE_SHARE");
  if (share) {
    const base = oracleBasisPoints(share.percent);
    const lines =
      order.lines.length > 0
        ? order.lines
        : [{ productGid: null, collectionGids: [], netMinor: order.netMerchandiseMinor }];
    let exact = 0n;
    for (const line of lines) {
      const byProduct = share.overrides.find((o) => o.target.type === "PRODUCT" && o.target.gid === line.productGid);
      const byCollection = share.overrides.find(
        (o) => o.target.type === "COLLECTION" && line.collectionGids.includes(o.target.gid),
      );
      const override = byProduct ?? byCollection;
      exact += line.netMinor * (override ? oracleBasisPoints(override.percent) : base);
    }
    if (terms.revenueBasis.includeShipping) exact += order.shippingMinor * base;
    if (terms.revenueBasis.includeTaxes) exact += order.taxMinor * base;
    put(`order:${order.orderId}:revenue-share`, toUnits(exact));
  }
  const cpa = componentOf(terms, "CPA");
  if (cpa && (order.newCustomer || !cpa.newCustomersOnly)) put(`order:${order.orderId}:cpa`, cpa.amountMinor);
  const tiered = componentOf(terms, "TIERED_REVENUE_SHARE");
  if (tiered)
    put(
      `order:${order.orderId}:tiered`,
      toUnits(oracleRevenue(order, terms) * oracleBasisPoints(tiered.tiers[0]!.percent)),
    );
  return owed;
}

function rateAt(tiers: Tier[], reached: bigint): bigint {
  let rate = 0n;
  for (const tier of tiers) if (reached >= tier.from) rate = oracleBasisPoints(tier.percent);
  return rate;
}

/** The exact tiered total of a period, rounded once. */
function oracleTieredTotal(
  tiered: Extract<Component, { kind: "TIERED_REVENUE_SHARE" }>,
  live: CommissionOrder[],
  terms: ContractTerms,
): bigint {
  const revenue = sumOf(live.map((o) => oracleRevenue(o, terms)));
  const count = BigInt(live.length);
  if (tiered.mode === "RETROACTIVE")
    return toUnits(revenue * rateAt(tiered.tiers, tiered.metric === "REVENUE" ? revenue : count));
  if (tiered.metric === "REVENUE") {
    let exact = 0n;
    tiered.tiers.forEach((tier, i) => {
      const ceiling = tiered.tiers[i + 1]?.from ?? revenue;
      const top = revenue < ceiling ? revenue : ceiling;
      if (top > tier.from) exact += (top - tier.from) * oracleBasisPoints(tier.percent);
    });
    return toUnits(exact);
  }
  const sequence = [...live].sort((a, b) =>
    a.placedAt.getTime() !== b.placedAt.getTime()
      ? a.placedAt.getTime() - b.placedAt.getTime()
      : a.orderId < b.orderId
      ? -1
      : 1,
  );
  return toUnits(sumOf(sequence.map((o, n) => oracleRevenue(o, terms) * rateAt(tiered.tiers, BigInt(n)))));
}

const periodOf = (date: Date) => `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;

interface World {
  orders: CommissionOrder[];
  /** In the order the merchant saved them. */
  versions: TermsVersion[];
  deliverables: Deliverable[];
}

/** Ordered by start; versions starting at the same instant keep the order they were saved in (the sort is stable). */
const byStart = (versions: readonly TermsVersion[]) =>
  [...versions].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());

/** The version whose start is the latest one not after `at`; before any start, the first version. */
function oracleTermsAt(versions: readonly TermsVersion[], at: number): ContractTerms | null {
  let found = byStart(versions)[0]?.terms ?? null;
  for (const version of byStart(versions)) if (version.effectiveFrom.getTime() <= at) found = version.terms;
  return found;
}

/** Monthly pay summed day by day under the version that covered each day, then rounded once. */
function oracleMonthlyPay(versions: readonly TermsVersion[], period: string, kind: "RETAINER" | "BASE_FEE"): bigint {
  const [year, month] = period.split("-").map(Number) as [number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  let exact = 0n;
  for (let day = 1; day <= days; day++) {
    const dayEnds = Date.UTC(year, month - 1, day + 1);
    const monthEnds = Date.UTC(year, month, 1);
    const first = byStart(versions)[0];
    let covering = first && first.effectiveFrom.getTime() < monthEnds ? first.terms : null;
    for (const version of byStart(versions)) if (version.effectiveFrom.getTime() < dayEnds) covering = version.terms;
    const component = covering && componentOf(covering, kind);
    if (component) exact += component.monthlyMinor;
  }
  return roundHalfAwayFromZero(exact, BigInt(days));
}

interface OracleResult {
  bySource: Map<string, bigint>;
  byOrder: Map<string, bigint>;
  drawOutstanding: bigint;
}

function oracle(world: World): OracleResult {
  const bySource = new Map<string, bigint>();
  const byOrder = new Map<string, bigint>();
  const termsAt = (at: Date) => oracleTermsAt(world.versions, at.getTime());
  for (const order of world.orders) {
    const owed = oracleOrder(order, termsAt(order.placedAt));
    owed.forEach((amount, key) => bySource.set(key, amount));
    byOrder.set(order.orderId, sumOf(owed.values()));
  }
  let outstanding = 0n;
  if (world.versions.length === 0) return { bySource, byOrder, drawOutstanding: 0n };
  for (const period of PERIODS) {
    const [year, month] = period.split("-").map(Number) as [number, number];
    const periodEnds = Date.UTC(year, month, 1);
    const terms = oracleTermsAt(world.versions, periodEnds - 1)!;
    const put = (source: string, amount: bigint) => amount !== 0n && bySource.set(`period:${period}:${source}`, amount);
    const inPeriod = world.orders.filter((o) => periodOf(o.placedAt) === period);
    const live = inPeriod.filter((o) => !o.cancelled);
    const revenue = sumOf(live.map((o) => oracleRevenue(o, terms)));
    const ordersPay = sumOf(inPeriod.map((o) => byOrder.get(o.orderId)!));

    let fixed = 0n;
    const retainer = oracleMonthlyPay(world.versions, period, "RETAINER");
    put("retainer", retainer), (fixed += retainer);
    const baseFee = oracleMonthlyPay(world.versions, period, "BASE_FEE");
    put("base-fee", baseFee), (fixed += baseFee);
    for (const deliverable of world.deliverables.filter((d) => periodOf(d.deliveredAt) === period)) {
      const fee = componentOf(termsAt(deliverable.deliveredAt)!, "FLAT_FEE")?.feesMinor[deliverable.kind];
      if (fee !== undefined && fee !== 0n) bySource.set(`deliverable:${deliverable.id}:flat-fee`, fee), (fixed += fee);
    }

    let performance = ordersPay;
    const tiered = componentOf(terms, "TIERED_REVENUE_SHARE");
    if (tiered) {
      // Each order posted the first tier of the version it was placed under, if that version had tiers.
      const firstTierPosted = sumOf(
        live.map((o) => oracleOrder(o, termsAt(o.placedAt)).get(`order:${o.orderId}:tiered`) ?? 0n),
      );
      const adjustment = oracleTieredTotal(tiered, live, terms) - firstTierPosted;
      put("tier-adjustment", adjustment);
      performance += adjustment;
    }
    const bonus = componentOf(terms, "PERFORMANCE_BONUS");
    if (bonus && (bonus.metric === "REVENUE" ? revenue : BigInt(live.length)) >= bonus.threshold) {
      put("bonus", bonus.amountMinor);
      performance += bonus.amountMinor;
    }
    if (terms.capPerPeriodMinor !== null && performance > terms.capPerPeriodMinor) {
      put("cap", terms.capPerPeriodMinor - performance);
      performance = terms.capPerPeriodMinor;
    }
    const earned = performance + fixed;
    const started = world.versions.some((version) => version.effectiveFrom.getTime() < periodEnds);
    const draw = started ? terms.drawPerPeriodMinor ?? 0n : 0n;
    if (earned < draw) {
      put("draw-advance", draw - earned);
      outstanding += draw - earned;
    } else {
      const recovered = earned - draw < outstanding ? earned - draw : outstanding;
      put("draw-recovery", -recovered);
      outstanding -= recovered;
    }
  }
  return { bySource, byOrder, drawOutstanding: outstanding };
}

// ---------- The jobs, driving the engine ----------

function orderJob(world: World, ledger: PlannedEntry[], orderId: string): PlannedEntry[] {
  const order = world.orders.find((o) => o.orderId === orderId)!;
  const terms = versionInForce(byStart(world.versions), order.placedAt)?.terms ?? null;
  return reconcileEntries(
    orderEntitlements(order, terms),
    ledger.filter((e) => e.orderId === orderId),
    {
      currencyCode: CURRENCY,
      orderNames: { [orderId]: order.orderName },
      cause: order.cancelled ? "order cancelled" : undefined,
    },
  );
}

function periodJob(world: World, ledger: PlannedEntry[], periodKey: string): PlannedEntry[] {
  const orders = world.orders.filter((o) => periodOf(o.placedAt) === periodKey);
  const expected = creatorPeriodEntitlements({
    periodKey,
    versions: byStart(world.versions),
    orders,
    deliverables: world.deliverables.filter((d) => periodOf(d.deliveredAt) === periodKey),
    drawOutstandingBefore: drawOutstandingInLedger(ledger, (p) => p < periodKey),
    currencyCode: CURRENCY,
    timezone: "UTC",
  });
  return reconcileEntries(
    expected,
    ledger.filter((e) => e.orderId === null && e.periodKey === periodKey),
    { currencyCode: CURRENCY },
  );
}

function drawOutstandingInLedger(ledger: PlannedEntry[], periods: (periodKey: string) => boolean): bigint {
  return sumOf(
    ledger
      .filter((e) => e.periodKey !== null && periods(e.periodKey) && /:draw-(advance|recovery)$/.test(e.sourceKey))
      .map((e) => e.amountMinor),
  );
}

/** Runs the jobs a change triggers, appending each plan before the next job reads the ledger. */
function settle(world: World, ledger: PlannedEntry[], touchedOrders: string[]): PlannedEntry[] {
  const planned: PlannedEntry[] = [];
  for (const orderId of touchedOrders) {
    const plan = orderJob(world, ledger, orderId);
    ledger.push(...plan);
    planned.push(...plan);
  }
  for (const period of PERIODS) {
    const plan = periodJob(world, ledger, period);
    ledger.push(...plan);
    planned.push(...plan);
  }
  return planned;
}

// ---------- Generators ----------

/** Percents as merchants type them: "7", "12.5", "0.01", "100". */
const percentArb = fc.integer({ min: 0, max: 10_000 }).map((bps) => {
  const whole = Math.floor(bps / 100);
  const hundredths = bps % 100;
  if (hundredths === 0) return `${whole}`;
  return hundredths % 10 === 0 ? `${whole}.${hundredths / 10}` : `${whole}.${String(hundredths).padStart(2, "0")}`;
});
const smallMoney = (max: bigint) => fc.bigInt({ min: 0n, max });

const overrideArb: fc.Arbitrary<RateOverride> = fc.record({
  target: fc.constantFrom(
    { type: "PRODUCT" as const, gid: "gid://shopify/Product/1", title: "Glow Serum" },
    { type: "PRODUCT" as const, gid: "gid://shopify/Product/2", title: "Night Cream" },
    { type: "COLLECTION" as const, gid: "gid://shopify/Collection/1", title: "Summer" },
    { type: "COLLECTION" as const, gid: "gid://shopify/Collection/2", title: "Sale" },
  ),
  percent: percentArb,
});

const tiersArb = (metric: "REVENUE" | "CONVERSIONS"): fc.Arbitrary<Tier[]> =>
  fc
    .uniqueArray(metric === "REVENUE" ? fc.bigInt({ min: 1n, max: 120_000n }) : fc.bigInt({ min: 1n, max: 6n }), {
      maxLength: 3,
    })
    .chain((froms) =>
      fc.tuple(
        ...[0n, ...froms.sort((a, b) => (a < b ? -1 : 1))].map((from) =>
          percentArb.map((percent) => ({ from, percent })),
        ),
      ),
    );

const tieredArb = fc
  .record({
    metric: fc.constantFrom("REVENUE" as const, "CONVERSIONS" as const),
    mode: fc.constantFrom("MARGINAL" as const, "RETROACTIVE" as const),
  })
  .chain(({ metric, mode }) =>
    tiersArb(metric).map((tiers): Component => ({ kind: "TIERED_REVENUE_SHARE", metric, mode, tiers })),
  );

const deliverableKinds: DeliverableKind[] = ["POST", "VIDEO", "STORY", "REEL", "LIVESTREAM"];

const termsArb: fc.Arbitrary<ContractTerms> = fc
    .record({
      share: fc.option(fc.record({ percent: percentArb, overrides: fc.array(overrideArb, { maxLength: 3 }) })),
      cpa: fc.option(fc.record({ amountMinor: smallMoney(3_000n), newCustomersOnly: fc.boolean() })),
      tiered: fc.option(tieredArb),
      flat: fc.option(fc.dictionary(fc.constantFrom(...deliverableKinds), smallMoney(20_000n), { maxKeys: 3 })),
      retainer: fc.option(smallMoney(50_000n)),
      baseFee: fc.option(smallMoney(20_000n)),
      bonus: fc.option(
        fc.oneof(
          fc.record({
            metric: fc.constant("REVENUE" as const),
            threshold: smallMoney(150_000n),
            amountMinor: smallMoney(30_000n),
          }),
          fc.record({
            metric: fc.constant("CONVERSIONS" as const),
            threshold: fc.bigInt({ min: 0n, max: 6n }),
            amountMinor: smallMoney(30_000n),
          }),
        ),
      ),
      includeShipping: fc.boolean(),
      includeTaxes: fc.boolean(),
      cap: fc.option(smallMoney(60_000n)),
      draw: fc.option(smallMoney(80_000n)),
    })
    .map((t): ContractTerms => {
      const components: Component[] = [];
      if (t.share) components.push({ kind: "REVENUE_SHARE", ...t.share });
      if (t.cpa) components.push({ kind: "CPA", ...t.cpa });
      if (t.tiered) components.push(t.tiered);
      if (t.flat) components.push({ kind: "FLAT_FEE", feesMinor: t.flat });
      if (t.retainer !== null) components.push({ kind: "RETAINER", monthlyMinor: t.retainer });
      if (t.baseFee !== null) components.push({ kind: "BASE_FEE", monthlyMinor: t.baseFee });
      if (t.bonus) components.push({ kind: "PERFORMANCE_BONUS", ...t.bonus });
      return {
        components,
        revenueBasis: { includeShipping: t.includeShipping, includeTaxes: t.includeTaxes },
        capPerPeriodMinor: t.cap,
        drawPerPeriodMinor: t.draw,
      };
    });

/** Before both periods, on a day of either (ties with orders at noon and deliveries at midnight), or after both. */
const effectiveFromArb: fc.Arbitrary<Date> = fc.oneof(
  fc.constant(new Date(Date.UTC(2026, 9, 15))),
  fc
    .record({ month: fc.constantFrom(10, 11), day: fc.integer({ min: 1, max: 31 }), hour: fc.constantFrom(0, 12, 18) })
    .map(({ month, day, hour }) => new Date(Date.UTC(2026, month, Math.min(day, month === 10 ? 30 : 31), hour))),
  fc.constant(new Date(Date.UTC(2027, 0, 10))),
);
const versionArb: fc.Arbitrary<TermsVersion> = fc.record({ effectiveFrom: effectiveFromArb, terms: termsArb });
const initialVersionsArb = fc.option(versionArb, { freq: 8 }).map((v) => (v ? [v] : []));

const lineArb: fc.Arbitrary<CommissionOrderLine> = fc.record({
  productGid: fc.constantFrom("gid://shopify/Product/1", "gid://shopify/Product/2", "gid://shopify/Product/3", null),
  collectionGids: fc.subarray(["gid://shopify/Collection/1", "gid://shopify/Collection/2"]),
  netMinor: smallMoney(40_000n),
});

type OrderEvent =
  | {
      type: "create";
      period: number;
      minute: number;
      lines: CommissionOrderLine[];
      netWithoutLines: bigint;
      shippingMinor: bigint;
      taxMinor: bigint;
      newCustomer: boolean;
    }
  | { type: "edit"; target: number; nets: bigint[]; shippingMinor: bigint }
  | { type: "refund"; target: number; line: number; amount: bigint }
  | { type: "cancel"; target: number }
  | { type: "replay"; target: number }
  | { type: "contract"; version: TermsVersion }
  | { type: "deliver"; period: number; kind: DeliverableKind; title: string };

const target = fc.nat({ max: 20 });
const eventArb: fc.Arbitrary<OrderEvent> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant("create" as const),
      period: fc.nat({ max: 1 }),
      minute: fc.nat({ max: 3 }), // few distinct instants, so ties on placedAt happen
      lines: fc.array(lineArb, { maxLength: 3 }),
      netWithoutLines: smallMoney(60_000n),
      shippingMinor: smallMoney(2_000n),
      taxMinor: smallMoney(2_000n),
      newCustomer: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant("edit" as const),
      target,
      nets: fc.array(smallMoney(40_000n), { minLength: 1, maxLength: 3 }),
      shippingMinor: smallMoney(2_000n),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant("refund" as const),
      target,
      line: fc.nat({ max: 2 }),
      amount: smallMoney(40_000n),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("cancel" as const), target }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("replay" as const), target }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("contract" as const), version: versionArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("deliver" as const),
      period: fc.nat({ max: 1 }),
      kind: fc.constantFrom(...deliverableKinds),
      title: fc.constantFrom("Unboxing", "Routine"),
    }),
  },
);

const withNet = (order: CommissionOrder, lines: CommissionOrderLine[]): CommissionOrder => ({
  ...order,
  lines,
  netMerchandiseMinor: sumOf(lines.map((l) => l.netMinor)),
});

/** Applies an event to the facts; returns the orders whose facts it touched (or might have: a replay). */
function apply(world: World, event: OrderEvent): string[] {
  const pick = (n: number) => world.orders[n % world.orders.length];
  switch (event.type) {
    case "create": {
      const number = world.orders.length + 1;
      const order: CommissionOrder = {
        orderId: `gid://shopify/Order/${number}`,
        orderName: `#${1000 + number}`,
        placedAt: new Date(Date.UTC(2026, 10 + event.period, 1 + event.minute, 12)),
        currencyCode: CURRENCY,
        netMerchandiseMinor: event.netWithoutLines,
        shippingMinor: event.shippingMinor,
        taxMinor: event.taxMinor,
        cancelled: false,
        newCustomer: event.newCustomer,
        lines: [],
      };
      world.orders.push(event.lines.length > 0 ? withNet(order, event.lines) : order);
      return [order.orderId];
    }
    case "edit": {
      const order = pick(event.target);
      if (!order || order.cancelled) return [];
      const edited =
        order.lines.length > 0
          ? withNet(
              order,
              order.lines.map((line, i) => ({ ...line, netMinor: event.nets[i % event.nets.length]! })),
            )
          : { ...order, netMerchandiseMinor: event.nets[0]! };
      world.orders[world.orders.indexOf(order)] = { ...edited, shippingMinor: event.shippingMinor };
      return [order.orderId];
    }
    case "refund": {
      const order = pick(event.target);
      if (!order || order.cancelled) return [];
      const refunded =
        order.lines.length > 0
          ? withNet(
              order,
              order.lines.map((line, i) =>
                i === event.line % order.lines.length
                  ? { ...line, netMinor: line.netMinor - (event.amount % (line.netMinor + 1n)) }
                  : line,
              ),
            )
          : {
              ...order,
              netMerchandiseMinor: order.netMerchandiseMinor - (event.amount % (order.netMerchandiseMinor + 1n)),
            };
      world.orders[world.orders.indexOf(order)] = refunded;
      return [order.orderId];
    }
    case "cancel": {
      const order = pick(event.target);
      if (!order) return [];
      world.orders[world.orders.indexOf(order)] = { ...order, cancelled: true };
      return [order.orderId];
    }
    case "replay": {
      const order = pick(event.target);
      return order ? [order.orderId] : [];
    }
    case "contract":
      world.versions.push(event.version);
      return world.orders.map((o) => o.orderId);
    case "deliver":
      world.deliverables.push({
        id: `deliverable-${world.deliverables.length + 1}`,
        kind: event.kind,
        deliveredAt: new Date(Date.UTC(2026, 10 + event.period, 15)),
        title: event.title,
      });
      return [];
  }
}

// ---------- Assertions ----------

function ledgerBy(ledger: PlannedEntry[], key: (e: PlannedEntry) => string | null): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const entry of ledger) {
    const k = key(entry);
    if (k !== null) totals.set(k, (totals.get(k) ?? 0n) + entry.amountMinor);
  }
  return totals;
}

function expectLedgerMatchesOracle(world: World, ledger: PlannedEntry[]) {
  const expected = oracle(world);
  // (a) every source sums to what the oracle says it is owed, to the minor unit.
  const bySource = ledgerBy(ledger, (e) => e.sourceKey);
  for (const key of new Set([...bySource.keys(), ...expected.bySource.keys()])) {
    expect([key, bySource.get(key) ?? 0n]).toEqual([key, expected.bySource.get(key) ?? 0n]);
  }
  // (b) each order's entries net to its expected commission; (e) a cancelled order's net to zero.
  const byOrder = ledgerBy(ledger, (e) => e.orderId);
  for (const order of world.orders) {
    expect([order.orderId, byOrder.get(order.orderId) ?? 0n]).toEqual([
      order.orderId,
      expected.byOrder.get(order.orderId)!,
    ]);
    if (order.cancelled) expect(byOrder.get(order.orderId) ?? 0n).toBe(0n);
  }
  // The draw still to recover is what the draw sources hold.
  expect(drawOutstandingInLedger(ledger, () => true)).toBe(expected.drawOutstanding);
}

function expectWellFormed(ledger: PlannedEntry[]) {
  // (d) idempotency keys are unique, and number each source's entries 0, 1, 2...
  const keys = ledger.map((e) => e.idempotencyKey);
  expect(new Set(keys).size).toBe(keys.length);
  const seen = new Map<string, number>();
  for (const entry of ledger) {
    const n = seen.get(entry.sourceKey) ?? 0;
    expect(entry.idempotencyKey).toBe(`${entry.sourceKey}#${n}`);
    seen.set(entry.sourceKey, n + 1);
    expect(entry.amountMinor).not.toBe(0n);
    expect(entry.reason.length).toBeGreaterThan(0);
  }
}

describe("commission engine against an independent oracle", () => {
  it("keeps the ledger equal to what the facts owe through any sequence of order events and contract changes", () => {
    fc.assert(
      fc.property(initialVersionsArb, fc.array(eventArb, { minLength: 1, maxLength: 14 }), (versions, events) => {
        const world: World = { orders: [], versions, deliverables: [] };
        const ledger: PlannedEntry[] = [];
        settle(world, ledger, []); // the periods' fixed pay and draws, before any order
        for (const event of events) {
          const touched = apply(world, event);
          const plan = settle(world, ledger, touched);
          if (event.type === "replay") expect(plan).toEqual([]); // a redelivery of the same facts changes nothing
          expectLedgerMatchesOracle(world, ledger);
        }
        // (c) replaying the final facts, for every order and period, proposes nothing.
        expect(
          settle(
            world,
            ledger,
            world.orders.map((o) => o.orderId),
          ),
        ).toEqual([]);
        expectWellFormed(ledger);
      }),
      RUNS,
    );
  }, 180_000);

  it("tiers: first-tier order entries plus the period's adjustment equal the exact tiered total, rounded once", () => {
    const orderArb = fc.record({
      net: smallMoney(60_000n),
      shipping: smallMoney(3_000n),
      minute: fc.nat({ max: 5 }),
      cancelled: fc.boolean(),
    });
    fc.assert(
      fc.property(
        tieredArb,
        fc.record({ includeShipping: fc.boolean(), includeTaxes: fc.boolean() }),
        fc.array(orderArb, { maxLength: 25 }),
        (tiered, revenueBasis, specs) => {
          const terms: ContractTerms = {
            components: [tiered],
            revenueBasis,
            capPerPeriodMinor: null,
            drawPerPeriodMinor: null,
          };
          const world: World = {
            versions: [{ effectiveFrom: new Date(0), terms }],
            deliverables: [],
            orders: specs.map((spec, i) => ({
              orderId: `o${i}`,
              orderName: `#${i}`,
              placedAt: new Date(Date.UTC(2026, 10, 1, 0, spec.minute)),
              currencyCode: CURRENCY,
              netMerchandiseMinor: spec.net,
              shippingMinor: spec.shipping,
              taxMinor: spec.shipping / 2n,
              cancelled: spec.cancelled,
              newCustomer: true,
              lines: [],
            })),
          };
          const ledger: PlannedEntry[] = [];
          settle(
            world,
            ledger,
            world.orders.map((o) => o.orderId),
          );
          const live = world.orders.filter((o) => !o.cancelled);
          const november = ledger.filter((e) => e.periodKey === "2026-11" || e.orderId !== null);
          expect(sumOf(november.map((e) => e.amountMinor))).toBe(
            oracleTieredTotal(tiered as Extract<Component, { kind: "TIERED_REVENUE_SHARE" }>, live, terms),
          );
          expectLedgerMatchesOracle(world, ledger);
        },
      ),
      RUNS,
    );
  }, 120_000);

  it("a recoverable draw pays at least the draw each period, and what it advanced is what it still has to recover", () => {
    fc.assert(
      fc.property(
        smallMoney(100_000n),
        fc.option(smallMoney(150_000n)),
        fc.array(smallMoney(2_000_000n), { minLength: 1, maxLength: 8 }),
        (draw, cap, netPerPeriod) => {
          const terms: ContractTerms = {
            components: [{ kind: "REVENUE_SHARE", percent: "10", overrides: [] }],
            revenueBasis: { includeShipping: false, includeTaxes: false },
            capPerPeriodMinor: cap,
            drawPerPeriodMinor: draw,
          };
          let outstanding = 0n;
          let earnedInTotal = 0n;
          let paidInTotal = 0n;
          netPerPeriod.forEach((net, i) => {
            const order: CommissionOrder = {
              orderId: `o${i}`,
              orderName: `#${i}`,
              placedAt: new Date(Date.UTC(2027, i, 2)),
              currencyCode: CURRENCY,
              netMerchandiseMinor: net,
              shippingMinor: 0n,
              taxMinor: 0n,
              cancelled: false,
              newCustomer: true,
              lines: [],
            };
            const orderPay = sumOf(orderEntitlements(order, terms).map((e) => e.amountMinor));
            const entitlements = periodEntitlements({
              periodKey: periodOf(order.placedAt),
              terms,
              orders: [order],
              orderEntitlementTotal: orderPay,
              deliverables: [],
              drawOutstandingBefore: outstanding,
              currencyCode: CURRENCY,
            });
            const isDraw = (e: Entitlement) => e.kind === "DRAW_ADVANCE" || e.kind === "DRAW_RECOVERY";
            // Earned: 10% of the net (rounded once), capped.
            const share = roundHalfAwayFromZero(net * 1000n, 10_000n);
            const earned = cap !== null && share > cap ? cap : share;
            expect(orderPay + sumOf(entitlements.filter((e) => !isDraw(e)).map((e) => e.amountMinor))).toBe(earned);
            const paid = orderPay + sumOf(entitlements.map((e) => e.amountMinor));
            expect(paid >= draw || paid === earned - outstanding).toBe(true);
            if (earned < draw) expect(paid).toBe(draw);
            outstanding = drawOutstandingAfter(outstanding, entitlements);
            expect(outstanding >= 0n).toBe(true);
            earnedInTotal += earned;
            paidInTotal += paid;
          });
          // Every unit paid beyond what was earned is still owed back.
          expect(paidInTotal).toBe(earnedInTotal + outstanding);
        },
      ),
      RUNS,
    );
  });

  it("reconciling any posted ledger lands each source on its expected amount, and a replay proposes nothing", () => {
    const keys = [
      "order:o1:revenue-share",
      "order:o1:cpa",
      "period:2026-11:bonus",
      "deliverable:d1:flat-fee",
      "order:gid://shopify/Order/9:tiered",
    ];
    const amount = fc.bigInt({ min: -50_000n, max: 50_000n });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ sourceKey: fc.constantFrom(...keys), amountMinor: amount }), {
          selector: (e) => e.sourceKey,
        }),
        fc.array(fc.record({ sourceKey: fc.constantFrom(...keys), amountMinor: amount.filter((a) => a !== 0n) }), {
          maxLength: 10,
        }),
        (owed, history) => {
          const expected: Entitlement[] = owed.map((o) => ({
            ...o,
            kind: "ADJUSTMENT",
            orderId: null,
            periodKey: null,
            reason: "owed",
          }));
          const seen = new Map<string, number>();
          const ledger: PlannedEntry[] = history.map((h) => {
            const n = seen.get(h.sourceKey) ?? 0;
            seen.set(h.sourceKey, n + 1);
            return {
              ...h,
              kind: "ADJUSTMENT",
              orderId: null,
              periodKey: null,
              idempotencyKey: `${h.sourceKey}#${n}`,
              reason: "posted",
            };
          });
          const plan = reconcileEntries(expected, ledger, { currencyCode: CURRENCY });
          ledger.push(...plan);
          const totals = ledgerBy(ledger, (e) => e.sourceKey);
          for (const key of keys) {
            expect(totals.get(key) ?? 0n).toBe(owed.find((o) => o.sourceKey === key)?.amountMinor ?? 0n);
          }
          expect(reconcileEntries(expected, ledger, { currencyCode: CURRENCY })).toEqual([]);
          expectWellFormed(ledger);
          // At most a reversal and a new entry per source.
          expect(plan.length).toBeLessThanOrEqual(2 * keys.length);
        },
      ),
      RUNS,
    );
  });
});
