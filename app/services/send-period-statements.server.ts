import { prisma } from "~/db.server";
import { latestClosedPeriod, statementCutoff, statementPeriodByKey, type StatementPeriod } from "~/domain/statements/statement-periods";
import { DEFAULT_STATEMENT_SETTINGS, getStatementSettings, statementHistoryCutoff } from "~/models/statements.server";
import { logger } from "~/utils/logger.server";
import type { StatementMailer } from "~/utils/mailer.server";
import { deliverStatementTo, type DeliveryOutcome, type RunContext } from "./deliver-statement.server";
import { loadPeriodStatementSubjects } from "./prepare-statement.server";

export interface PeriodSendSummary {
  creators: number;
  sent: number;
  alreadySent: number;
  skipped: number;
  unconfirmed: number;
  failed: number;
  /** Creators whose statement could not be handled at all (an error other than SMTP's), with the first message. */
  errors: number;
  firstError: string | null;
}

export class StatementsNotSentError extends Error {
  constructor(readonly summary: PeriodSendSummary) {
    super(`${summary.failed + summary.errors} of ${summary.creators} statements were not sent${summary.firstError ? `: ${summary.firstError}` : ""}`);
    this.name = "StatementsNotSentError";
  }
}

/** A period's statements can be generated once it closed for statements (06:00 the next day, shop time). */
export function statementsDue(period: StatementPeriod, timezone: string, now: Date): boolean {
  return statementCutoff(period, timezone) <= now;
}

/** The run a period's passes go through; created by the first request for it. */
export async function ensureStatementRun(shopId: string, period: StatementPeriod): Promise<void> {
  await prisma.statementRun.createMany({
    data: [{ shopId, periodKey: period.key, cadence: period.cadence, periodStart: period.start, periodEnd: period.end }],
    skipDuplicates: true,
  });
}

/*
 * How many of a run's creators are handled at once. Each holds a connection of the statement senders' own pool for
 * its lock, for its whole send (statement-lock.server.ts: 16 per process, for the statements worker's two jobs at
 * once), and its ledger reads take Prisma's pool for a moment. Rendering takes the one JavaScript thread, so more
 * at once only overlap more round trips (PostgreSQL, SMTP); at most the mailer's pooled SMTP connections, so a
 * creator's send does not wait for another's.
 */
const CREATORS_AT_ONCE = 8;

type Handled = { outcome: DeliveryOutcome | null } | { error: Error };

/** `work` over the items, at most `limit` at a time; results in the items' order. `work` must not reject. */
async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/**
 * One pass over the shop's creators for a closed period, a few at a time: each gets their statement once
 * (deliverStatement, under that creator's own lock), or is skipped with the reason logged. Creators whose statement
 * failed to go out make the pass throw StatementsNotSentError once every creator was handled, so the job is retried
 * (those already sent are not sent again) — unless it is the job's last attempt: then the run is completed with what
 * happened, for the merchant to see and send again.
 * Null when the shop is unknown or uninstalled, or the key names no period.
 */
export async function sendPeriodStatements(
  mailer: StatementMailer,
  request: { shopId: string; periodKey: string; requestedBy?: string | null; lastAttempt?: boolean; now?: Date },
): Promise<PeriodSendSummary | null> {
  const now = request.now ?? new Date();
  const shop = await prisma.shop.findFirst({
    where: { id: request.shopId, uninstalledAt: null },
    select: { id: true, name: true, currencyCode: true, timezone: true },
  });
  if (!shop) return null;
  const period = statementPeriodByKey(request.periodKey, shop.timezone);
  if (!period) return null;
  if (!statementsDue(period, shop.timezone, now)) throw new Error(`The period ${period.key} has not closed for statements yet`);
  await ensureStatementRun(shop.id, period);

  const subjects = await loadPeriodStatementSubjects(shop, period);
  let historyCutoff: Promise<Date> | undefined;
  const run: RunContext = {
    settings: await getStatementSettings(shop.id),
    // Read (or set, by the shop's first statement) when the first statement is generated, not before: a run that
    // generates none leaves it unset, as a creator-by-creator send would.
    historyCutoff: () =>
      (historyCutoff ??= statementHistoryCutoff(shop.id, now).catch((error: unknown) => {
        historyCutoff = undefined; // the next creator asks again
        throw error;
      })),
  };
  const handled = await mapWithConcurrency(subjects, CREATORS_AT_ONCE, async (subject): Promise<Handled> => {
    try {
      return { outcome: await deliverStatementTo(mailer, subject, { requestedBy: request.requestedBy ?? null, now, run }) };
    } catch (error) {
      logger.error({ err: error, shopId: shop.id, creatorId: subject.creator.id, periodKey: period.key }, "statement could not be handled");
      return { error: error as Error };
    }
  });

  // Tallied in creator order, whatever order the sends finished in: the first error is the first creator's.
  const summary: PeriodSendSummary = { creators: subjects.length, sent: 0, alreadySent: 0, skipped: 0, unconfirmed: 0, failed: 0, errors: 0, firstError: null };
  for (const result of handled) {
    if ("error" in result) {
      summary.errors += 1;
      summary.firstError ??= result.error.message;
      continue;
    }
    const { outcome } = result;
    if (!outcome) continue;
    if (outcome.outcome === "SENT") summary.sent += 1;
    else if (outcome.outcome === "ALREADY_SENT") summary.alreadySent += 1;
    else if (outcome.outcome === "SKIPPED") summary.skipped += 1;
    else if (outcome.outcome === "UNCONFIRMED") summary.unconfirmed += 1;
    else {
      summary.failed += 1;
      summary.firstError ??= outcome.error;
    }
  }

  const notSent = summary.failed + summary.errors > 0;
  await prisma.statementRun.update({
    where: { shopId_periodKey: { shopId: shop.id, periodKey: period.key } },
    data: { lastError: notSent ? new StatementsNotSentError(summary).message : null, ...(notSent && !request.lastAttempt ? {} : { completedAt: new Date() }) },
  });
  if (notSent && !request.lastAttempt) throw new StatementsNotSentError(summary);
  return summary;
}

/** Runs older than this without completing lost their job (Redis flushed, say): the sweep queues them again. */
const LOST_RUN_AFTER_MS = 15 * 60_000;

/**
 * What the scheduled sweep queues: for every installed shop that sends statements automatically, the latest
 * period that has closed for statements, if it ended after the shop installed the app and has no run yet (the
 * unique run makes it once); and runs that never completed. Earlier periods are sent only when the merchant asks.
 */
export async function dueStatementRuns(now = new Date()): Promise<{ shopId: string; periodKey: string }[]> {
  const shops = await prisma.shop.findMany({
    where: { uninstalledAt: null, OR: [{ statementSettings: null }, { statementSettings: { autoSend: true } }] },
    select: { id: true, timezone: true, installedAt: true, statementSettings: { select: { cadence: true } } },
  });
  const candidates = shops
    .map((shop) => ({ shop, period: latestClosedPeriod(shop.statementSettings?.cadence ?? DEFAULT_STATEMENT_SETTINGS.cadence, shop.timezone, now) }))
    .filter(({ shop, period }) => period.end > shop.installedAt);
  const created = await prisma.statementRun.createManyAndReturn({
    data: candidates.map(({ shop, period }) => ({ shopId: shop.id, periodKey: period.key, cadence: period.cadence, periodStart: period.start, periodEnd: period.end })),
    skipDuplicates: true,
    select: { shopId: true, periodKey: true },
  });
  const lost = await prisma.statementRun.findMany({
    where: { completedAt: null, requestedAt: { lt: new Date(now.getTime() - LOST_RUN_AFTER_MS) }, shop: { uninstalledAt: null } },
    select: { shopId: true, periodKey: true },
    take: 1_000,
  });
  return [...created, ...lost];
}
