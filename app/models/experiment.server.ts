import type { Experiment } from "@prisma/client";
import { z } from "zod";
import { prisma } from "~/db.server";
import { addDays, dateOfDay, dayOfDate, isCalendarDay, windowLength, windowsOverlap, type DayWindow } from "~/domain/calendar-days";
import {
  measureExperiment,
  overlappingRegions,
  parseRegionList,
  type ExperimentDesign,
  type ExperimentPlan,
  type ExperimentResult,
  type ExperimentSummary,
  type RegionListProblem,
} from "~/domain/experiments";
import { fieldErrorsOf } from "~/utils/field-errors";
import { regionDailyTotals, shopToday, type ShopRef } from "./creator-metrics.server";

export const MAX_WINDOW_DAYS = 366;
export const MAX_EXPERIMENT_CREATORS = 200;

const day = (label: string) =>
  z
    .string()
    .trim()
    .refine(isCalendarDay, `Enter the ${label} as a date, like 2026-09-01`);

const regionList = (group: string) =>
  z.string().transform((text, ctx) => {
    const parsed = parseRegionList(text);
    if (parsed.ok) return parsed.regions;
    ctx.addIssue({ code: "custom", message: regionListMessage(group, parsed.problem) });
    return z.NEVER;
  });

function regionListMessage(group: string, problem: RegionListProblem): string {
  switch (problem.kind) {
    case "empty":
      return `Enter the ${group} regions, like US-CA, US-TX (a country code alone, like CA, takes all its regions)`;
    case "invalid":
      return `${problem.codes.map((code) => `“${code}”`).join(", ")} ${problem.codes.length === 1 ? "is not a region code" : "are not region codes"}: use ISO codes like US-CA or DE, separated by commas`;
    case "too many":
      return `Enter at most ${problem.max} ${group} regions (a country code takes all its regions)`;
  }
}

const baseSchema = z.object({
  name: z.string().trim().min(1, "Name the experiment, like “Maya — West Coast test”").max(100, "Keep the name under 100 characters"),
  design: z.enum(["GEO_SPLIT", "PERIOD_HOLDOUT"], { error: "Choose a geo split or a period holdout" }),
  creatorIds: z
    .array(z.string())
    .min(1, "Choose the creator (or the campaign's creators) being tested")
    .max(MAX_EXPERIMENT_CREATORS, `Choose at most ${MAX_EXPERIMENT_CREATORS} creators`)
    .refine((ids) => ids.every((id) => z.uuid().safeParse(id).success), "Choose creators from the list"),
  startsOn: day("test's first day"),
  endsOn: day("test's last day"),
  baselineStartsOn: day("baseline's first day"),
  baselineEndsOn: day("baseline's last day"),
  notes: z
    .string()
    .trim()
    .max(2_000, "Keep the notes under 2000 characters")
    .optional()
    .transform((notes) => notes || null),
});

/** What the new-experiment form posts (creatorIds: every selected creator; regions: the text fields as typed). */
export const experimentInputSchema = z
  .object({ ...baseSchema.shape, exposedRegions: z.string().default(""), controlRegions: z.string().default("") })
  .transform((input, ctx) => {
    // Every problem is reported at once, so the merchant fixes the form in one go.
    let valid = true;
    const issue = (path: string, message: string) => {
      ctx.addIssue({ code: "custom", path: [path], message });
      valid = false;
    };
    let exposedRegions: string[] = [];
    let controlRegions: string[] = [];
    if (input.design === "GEO_SPLIT") {
      const exposed = regionList("exposed").safeParse(input.exposedRegions);
      const control = regionList("control").safeParse(input.controlRegions);
      for (const [path, parsed] of [["exposedRegions", exposed], ["controlRegions", control]] as const) {
        if (!parsed.success) issue(path, parsed.error.issues[0]!.message);
      }
      if (exposed.success && control.success) {
        const overlaps = overlappingRegions(exposed.data, control.data);
        if (overlaps.length > 0) {
          const [a, b] = overlaps[0]!;
          issue("controlRegions", `${a === b ? `${a} is` : `${a} and ${b} are`} in both groups: a region is either exposed or control`);
        }
        exposedRegions = exposed.data;
        controlRegions = control.data;
      }
    }
    const test = { from: input.startsOn, to: input.endsOn };
    const baseline = { from: input.baselineStartsOn, to: input.baselineEndsOn };
    const windowIssue = (window: DayWindow, what: string, path: string) => {
      if (window.to < window.from) issue(path, `The ${what} ends before it starts`);
      else if (windowLength(window) > MAX_WINDOW_DAYS) issue(path, `Keep the ${what} to ${MAX_WINDOW_DAYS} days or fewer`);
    };
    windowIssue(test, "test", "endsOn");
    windowIssue(baseline, "baseline", "baselineEndsOn");
    if (test.from <= test.to && baseline.from <= baseline.to && windowsOverlap(test, baseline)) {
      issue(
        "baselineStartsOn",
        input.design === "GEO_SPLIT"
          ? "The baseline must end before the test starts (or start after it ends)"
          : "The holdout period must not overlap the test",
      );
    }
    return valid ? { ...input, exposedRegions, controlRegions } : z.NEVER;
  });

export type ExperimentInput = z.input<typeof experimentInputSchema>;
export type ExperimentField = keyof ExperimentInput;
export type ExperimentFieldErrors = Partial<Record<ExperimentField, string>>;

/** Validates and stores an experiment; the creators must be this shop's. */
export async function createExperiment(
  shop: ShopRef,
  raw: unknown,
): Promise<{ ok: true; experimentId: string } | { ok: false; fieldErrors: ExperimentFieldErrors }> {
  const parsed = experimentInputSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf<ExperimentField>(parsed.error) };
  const input = parsed.data;
  const creatorIds = [...new Set(input.creatorIds)];
  const known = await prisma.creator.count({ where: { shopId: shop.id, id: { in: creatorIds } } });
  if (known !== creatorIds.length) return { ok: false, fieldErrors: { creatorIds: "Choose creators from the list" } };
  const experiment = await prisma.experiment.create({
    data: {
      shopId: shop.id,
      name: input.name,
      design: input.design,
      creatorIds,
      exposedRegions: input.exposedRegions,
      controlRegions: input.controlRegions,
      startsOn: dateOfDay(input.startsOn),
      endsOn: dateOfDay(input.endsOn),
      baselineStartsOn: dateOfDay(input.baselineStartsOn),
      baselineEndsOn: dateOfDay(input.baselineEndsOn),
      notes: input.notes,
    },
  });
  return { ok: true, experimentId: experiment.id };
}

export interface ExperimentRecord {
  id: string;
  name: string;
  design: ExperimentDesign;
  creators: { id: string; name: string }[];
  exposedRegions: string[];
  controlRegions: string[];
  test: DayWindow;
  baseline: DayWindow;
  notes: string | null;
  createdAt: Date;
}

export interface MeasuredExperiment {
  experiment: ExperimentRecord;
  result: ExperimentResult;
}

/** The shop's experiments, newest test first, each with its result as of today (shop timezone). */
export async function listExperiments(shop: ShopRef, today = shopToday(shop.timezone)): Promise<MeasuredExperiment[]> {
  const experiments = await prisma.experiment.findMany({
    where: { shopId: shop.id },
    orderBy: [{ startsOn: "desc" }, { createdAt: "desc" }],
  });
  return measureAll(shop, experiments, today);
}

export async function getExperiment(shop: ShopRef, experimentId: string, today = shopToday(shop.timezone)): Promise<MeasuredExperiment | null> {
  if (!z.uuid().safeParse(experimentId).success) return null;
  const experiment = await prisma.experiment.findFirst({ where: { id: experimentId, shopId: shop.id } });
  if (!experiment) return null;
  return (await measureAll(shop, [experiment], today))[0]!;
}

/** True when it existed (in this shop) and is gone. */
export async function deleteExperiment(shopId: string, experimentId: string): Promise<boolean> {
  if (!z.uuid().safeParse(experimentId).success) return false;
  const { count } = await prisma.experiment.deleteMany({ where: { id: experimentId, shopId } });
  return count === 1;
}

/**
 * For each creator, the latest experiment covering them (latest test start, then latest created) with its lift and
 * verdict; creators never tested are absent. `creatorIds` limits the answer (default: every creator tested).
 */
export async function experimentSummariesByCreator(
  shop: ShopRef,
  creatorIds?: string[],
  today = shopToday(shop.timezone),
): Promise<Map<string, ExperimentSummary>> {
  const experiments = await prisma.experiment.findMany({
    where: { shopId: shop.id, ...(creatorIds ? { creatorIds: { hasSome: creatorIds } } : {}) },
    orderBy: [{ startsOn: "desc" }, { createdAt: "desc" }],
  });
  const wanted = creatorIds ? new Set(creatorIds) : null;
  const latest = new Map<string, Experiment>();
  for (const experiment of experiments) {
    for (const creatorId of experiment.creatorIds) {
      if ((!wanted || wanted.has(creatorId)) && !latest.has(creatorId)) latest.set(creatorId, experiment);
    }
  }
  const used = [...new Set(latest.values())];
  const measured = new Map((await measureAll(shop, used, today)).map((entry) => [entry.experiment.id, entry]));
  const summaries = new Map<string, ExperimentSummary>();
  for (const [creatorId, experiment] of latest) {
    const { experiment: record, result } = measured.get(experiment.id)!;
    summaries.set(creatorId, {
      experimentId: record.id,
      name: record.name,
      design: record.design,
      startsOn: record.test.from,
      endsOn: record.test.to,
      orderLift: result.orderLift,
      incrementalOrders: result.incrementalOrders,
      incrementalRevenueMinor: result.incrementalRevenueMinor,
      verdict: result.verdict,
    });
  }
  return summaries;
}

export interface CreatorOption {
  id: string;
  name: string;
  handle: string;
}

/** Creators whose name or handle contains `query` (case-insensitive), for the creator picker: a page, not all. */
export async function searchExperimentCreators(shopId: string, query: string, limit = 20): Promise<CreatorOption[]> {
  // PostgreSQL text cannot hold a NUL, so no name or handle has one: dropped, or the database refuses the query.
  const text = query.replaceAll("\u0000", "").trim().slice(0, 100);
  return prisma.creator.findMany({
    where: {
      shopId,
      ...(text
        ? { OR: [{ name: { contains: text, mode: "insensitive" } }, { handle: { contains: text, mode: "insensitive" } }] }
        : {}),
    },
    select: { id: true, name: true, handle: true },
    orderBy: { name: "asc" },
    take: limit,
  });
}

/** The regions the shop's orders shipped to most over the last `days` days (from the rollups), busiest first. */
export async function topShippingRegions(shop: ShopRef, days = 90, limit = 12): Promise<{ region: string; orders: number }[]> {
  const today = shopToday(shop.timezone);
  const since = dateOfDay(addDays(today, -days));
  const rows = await prisma.regionDailyRollup.groupBy({
    by: ["region"],
    where: { shopId: shop.id, day: { gte: since }, region: { not: "" } },
    _sum: { orders: true },
    orderBy: { _sum: { orders: "desc" } },
    take: limit,
  });
  return rows.map((row) => ({ region: row.region, orders: row._sum.orders ?? 0 }));
}

async function measureAll(shop: ShopRef, experiments: Experiment[], today: string): Promise<MeasuredExperiment[]> {
  const creatorIds = [...new Set(experiments.flatMap((experiment) => experiment.creatorIds))];
  const creators = new Map(
    (await prisma.creator.findMany({ where: { shopId: shop.id, id: { in: creatorIds } }, select: { id: true, name: true } })).map(
      (creator) => [creator.id, creator],
    ),
  );
  const records = experiments.map((experiment) => toRecord(experiment, creators));
  if (records.length === 0) return [];
  // One read of the region rollups covers every experiment's windows (the leaderboard measures them all at once);
  // each measurement keeps only the days of its own windows.
  const windows = records.flatMap((record) => [record.test, record.baseline]);
  const span = { from: windows.map((window) => window.from).reduce(min), to: windows.map((window) => window.to).reduce(max) };
  const rows = await regionDailyTotals(shop.id, span);
  return records.map((record) => ({ experiment: record, result: measureExperiment(record satisfies ExperimentPlan, rows, today) }));
}

function toRecord(experiment: Experiment, creators: Map<string, { id: string; name: string }>): ExperimentRecord {
  return {
    id: experiment.id,
    name: experiment.name,
    design: experiment.design,
    // A creator deleted since the experiment was made is left out of its list.
    creators: experiment.creatorIds.flatMap((id) => creators.get(id) ?? []),
    exposedRegions: experiment.exposedRegions,
    controlRegions: experiment.controlRegions,
    test: { from: dayOfDate(experiment.startsOn), to: dayOfDate(experiment.endsOn) },
    baseline: { from: dayOfDate(experiment.baselineStartsOn), to: dayOfDate(experiment.baselineEndsOn) },
    notes: experiment.notes,
    createdAt: experiment.createdAt,
  };
}


const min = (a: string, b: string) => (a < b ? a : b);
const max = (a: string, b: string) => (a > b ? a : b);
