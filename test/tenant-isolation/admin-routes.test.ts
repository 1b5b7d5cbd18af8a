// Every admin page's loader and action called with shop A's session and shop B's ids (in the URL, in forms, in
// hidden fields): each answers as for an id that does not exist, no answer of A's carries anything of B's (its ids,
// names, emails, codes, marker), and afterwards every row B owns is exactly as it was. A route file added to
// app/routes without a case here fails the first test.
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { UnrecoverableError, Worker } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

const adminApiCalls = vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-isolation-routes-${process.pid}-${Date.now()}`;
  // Statements' Send and Resend build a mailer before looking the creator up; nothing is sent to this address.
  process.env.SMTP_URL = "smtp://127.0.0.1:2";
  process.env.STATEMENTS_FROM = "statements@creator-ledger.test";
  // Shopify's library keeps the fetch it found when it loaded: calls to the Admin API are answered (and recorded)
  // here, whatever shop they are for, so a test sees which shop's API a page called.
  const calls: { url: string; token: string | null; body: string }[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!/\.myshopify\.com\/admin\/api\//.test(url)) return realFetch(input, init);
    const headers = new Headers(init?.headers);
    calls.push({ url, token: headers.get("X-Shopify-Access-Token"), body: String(init?.body ?? "") });
    return new Response(JSON.stringify({ data: { products: { nodes: [] }, collections: { nodes: [] }, productVariants: { nodes: [] } } }), {
      headers: { "Content-Type": "application/json" },
    });
  };
  return calls;
});

import { prisma } from "~/db.server";
import { COMMISSIONS_QUEUE, createCommissionsQueue, createRedis, statementsQueue, webJobQueues } from "~/queues.server";
import * as home from "~/routes/app._index";
import * as attribution from "~/routes/app.attribution";
import * as catalogSearch from "~/routes/app.catalog-search";
import * as creatorPage from "~/routes/app.creators.$creatorId";
import * as creatorContract from "~/routes/app.creators.$creatorId_.contract";
import * as creatorDeliverables from "~/routes/app.creators.$creatorId_.deliverables";
import * as creatorEdit from "~/routes/app.creators.$creatorId_.edit";
import * as creatorLedger from "~/routes/app.creators.$creatorId_.ledger";
import * as creatorLinks from "~/routes/app.creators.$creatorId_.links";
import * as creators from "~/routes/app.creators._index";
import * as creatorsImport from "~/routes/app.creators.import";
import * as newCreator from "~/routes/app.creators.new";
import * as experimentPage from "~/routes/app.experiments.$experimentId";
import * as experiments from "~/routes/app.experiments._index";
import * as newExperiment from "~/routes/app.experiments.new";
import * as jobs from "~/routes/app.jobs";
import * as leaderboardCsv from "~/routes/app.leaderboard.csv";
import * as leaderboard from "~/routes/app.leaderboard";
import * as orderPage from "~/routes/app.orders.$orderId";
import * as orders from "~/routes/app.orders._index";
import * as ordersImport from "~/routes/app.orders.import";
import * as payouts from "~/routes/app.payouts._index";
import * as payoutsCsv from "~/routes/app.payouts.csv";
import * as settings from "~/routes/app.settings";
import * as statements from "~/routes/app.statements._index";
import * as statementSettings from "~/routes/app.statements.settings";
import * as survey from "~/routes/app.survey";
import * as surveyResults from "~/routes/app.survey_.results";
import * as appShell from "~/routes/app";
import { adminRequest, callRoute } from "../helpers/admin-requests";
import { idsIn, leakedSecrets, responseText, seedShop, snapshotShop, type SeededShop } from "./two-shops";

type RouteModule = { loader?: unknown; action?: unknown };
type RouteFunction = Parameters<typeof callRoute>[0];
type Case = () => Promise<void>;

let A: SeededShop;
let B: SeededShop;
let bBaseline: Record<string, string[]>;
let bIds: string[];

const today = () => new Date().toISOString().slice(0, 10);
const rangeQuery = () => `from=${B.period.key}-01&to=${today()}`;

/** A's request to `path` through the route's loader (GET) or action (POST `form`). */
async function asA(route: unknown, path: string, options: { form?: Record<string, string> | URLSearchParams; params?: Record<string, string> } = {}) {
  const request = adminRequest(A.shop.domain, path, options.form ? { form: options.form } : {});
  return callRoute(route as RouteFunction, request, options.params ?? {});
}

/**
 * What A's answer shows, checked for every secret of B's except what A itself put in the request (`askedFor`: ids,
 * or the marker when A searched for it), which a page may echo back.
 */
async function expectNothingOfB(result: Awaited<ReturnType<typeof asA>>, askedFor: readonly string[] = []) {
  const text = await responseText(result);
  const secrets = leakedSecrets(text, { marker: B.marker, domain: B.shop.domain, ids: bIds });
  expect(secrets.filter((secret) => !askedFor.includes(secret))).toEqual([]);
  return text;
}

/** The page rendered A's own data: without it, a page that shows nothing at all would pass for isolated. */
function expectA(text: string) {
  expect(text.toLowerCase()).toContain(A.marker.toLowerCase());
}

const notFound = (result: { status: number }) => expect(result.status).toBe(404);

// ---------- Every admin route, every loader and action ----------

const creatorRoute = (module: RouteModule, path: (id: string) => string, forms: Record<string, Record<string, string>>): { loader: Record<string, Case>; action: Record<string, Case> } => ({
  loader: {
    "B's creator id is not found": async () => {
      const id = B.creatorIds[0];
      const result = await asA(module.loader, path(id), { params: { creatorId: id } });
      notFound(result);
      await expectNothingOfB(result, [id]);
    },
  },
  action: Object.fromEntries(
    Object.entries(forms).map(([name, form]) => [
      `${name} on B's creator is not found`,
      async () => {
        const id = B.creatorIds[1];
        const result = await asA(module.action, path(id), { form, params: { creatorId: id } });
        notFound(result);
        await expectNothingOfB(result, [id]);
      },
    ]),
  ),
});

const ROUTES: Record<string, { module: RouteModule; loader?: Record<string, Case>; action?: Record<string, Case> }> = {
  "app.tsx": {
    module: appShell,
    loader: {
      "answers the app's API key and nothing of any shop": async () => {
        const result = await asA(appShell.loader, "/app");
        expect(result.status).toBe(200);
        await expectNothingOfB(result);
      },
    },
  },
  "app._index.tsx": {
    module: home,
    loader: {
      "the dashboard counts A's creators only and names none of B's": async () => {
        const result = await asA(home.loader, `/app?${rangeQuery()}`);
        expect(result.status).toBe(200);
        expect((result.data as { dashboard: { creatorCount: number } }).dashboard.creatorCount).toBe(2);
        await expectNothingOfB(result);
      },
    },
  },
  "app.attribution.tsx": {
    module: attribution,
    loader: {
      "shows A's rules": async () => {
        const result = await asA(attribution.loader, "/app/attribution");
        expect(result.status).toBe(200);
        await expectNothingOfB(result);
      },
    },
    action: {
      "saves A's rules only (the shop comes from the session)": async () => {
        const loaded = await asA(attribution.loader, "/app/attribution");
        const formValues = (loaded.data as { formValues: Record<string, string | boolean> }).formValues;
        const form = new URLSearchParams();
        for (const [name, value] of Object.entries(formValues)) if (value !== false) form.set(name, value === true ? "on" : String(value));
        const result = await asA(attribution.action, "/app/attribution", { form });
        expect(result).toMatchObject({ status: 200, data: { saved: true } });
      },
    },
  },
  "app.catalog-search.tsx": {
    module: catalogSearch,
    loader: {
      "searches A's catalog through A's own Admin API session": async () => {
        adminApiCalls.length = 0;
        const result = await asA(catalogSearch.loader, `/app/catalog-search?type=PRODUCT&q=${B.marker}`);
        expect(result.status).toBe(200);
        expect(adminApiCalls.length).toBeGreaterThan(0);
        for (const call of adminApiCalls) {
          expect(new URL(call.url).hostname).toBe(A.shop.domain);
          expect(call.token).toBe(`shpat_test_${A.shop.domain}`);
        }
        await expectNothingOfB(result);
      },
    },
  },
  "app.creators._index.tsx": {
    module: creators,
    loader: {
      "lists A's creators and none of B's": async () => {
        const result = await asA(creators.loader, "/app/creators");
        expect((result.data as { creators: unknown[] }).creators).toHaveLength(2);
        expectA(await expectNothingOfB(result));
      },
    },
  },
  "app.creators.new.tsx": {
    module: newCreator,
    loader: {
      "renders the empty form": async () => {
        const result = await asA(newCreator.loader, "/app/creators/new");
        expect(result).toMatchObject({ status: 200, data: null });
      },
    },
    action: {
      "B's discount code and handle are free in A, and B's creator is never named": async () => {
        const form = { name: "Newcomer", email: "", handle: B.handles[0], referrerDomains: "", customerGid: "", discountCode: B.discountCodes[0], revenueSharePercent: "10" };
        const result = await asA(newCreator.action, "/app/creators/new", { form });
        expect(result.status).toBe(302);
        const newcomer = await prisma.creator.findUniqueOrThrow({ where: { shopId_handle: { shopId: A.shop.id, handle: B.handles[0] } } });
        await expectNothingOfB(result);
        // A's newcomer carries B's strings: gone again, so that A's other pages show nothing that looks like B's.
        await prisma.creator.delete({ where: { id: newcomer.id } });
      },
    },
  },
  "app.creators.import.tsx": {
    module: creatorsImport,
    loader: {
      "renders the upload page": async () => {
        expect(await asA(creatorsImport.loader, "/app/creators/import")).toMatchObject({ status: 200, data: null });
      },
    },
    action: {
      "B's discount code and handle are free in A's preview and import, and B's creator is never named": async () => {
        const csv = `Name,Handle,Discount code,Revenue share (%)\nNewcomer,${B.handles[0]},${B.discountCodes[0]},10\n`;
        const post = (intent: "preview" | "import") => {
          const form = new FormData();
          form.set("intent", intent);
          form.set("file", new Blob([csv]), "creators.csv");
          return callRoute(creatorsImport.action as RouteFunction, adminRequest(A.shop.domain, "/app/creators/import", { form }));
        };
        const preview = await post("preview");
        expect(preview).toMatchObject({ status: 200, data: { preview: { toCreateCount: 1, duplicateCount: 0 } } });
        // The preview echoes the code A sent, which carries B's marker; B's creators themselves must not appear.
        const text = await expectNothingOfB(preview, [B.marker]);
        expect(text).not.toContain(`${B.marker} Creator`);
        const imported = await post("import");
        expect(imported.status).toBe(302);
        await expectNothingOfB(imported);
        // Gone again, so that A's other pages show nothing that looks like B's.
        await prisma.creator.deleteMany({ where: { shopId: A.shop.id, handle: B.handles[0] } });
      },
    },
  },
  "app.creators.$creatorId.tsx": {
    module: creatorPage,
    ...(() => {
      const cases = creatorRoute(creatorPage, (id) => `/app/creators/${id}`, {
        "adding a cost": { intent: "addCost", kind: "FLAT_FEE", description: "x", incurredOn: "2025-01-01", amount: "5.00" },
        "deleting B's cost": { intent: "deleteCost", costId: "" },
      });
      return {
        loader: {
          ...cases.loader,
          "A's creator page shows A's creator only": async () => {
            const id = A.creatorIds[0];
            const result = await asA(creatorPage.loader, `/app/creators/${id}?${rangeQuery()}`, { params: { creatorId: id } });
            expect(result.status).toBe(200);
            expectA(await expectNothingOfB(result));
          },
        },
        action: {
          ...cases.action,
          "deleting B's cost id under A's creator is not found": async () => {
            const id = A.creatorIds[0];
            const result = await asA(creatorPage.action, `/app/creators/${id}`, { form: { intent: "deleteCost", costId: B.costIds[0]! }, params: { creatorId: id } });
            notFound(result);
          },
          "deleting B's cost id under B's creator is not found": async () => {
            const id = B.creatorIds[0];
            const result = await asA(creatorPage.action, `/app/creators/${id}`, { form: { intent: "deleteCost", costId: B.costIds[0]! }, params: { creatorId: id } });
            notFound(result);
          },
        },
      };
    })(),
  },
  "app.creators.$creatorId_.contract.tsx": {
    module: creatorContract,
    ...creatorRoute(creatorContract, (id) => `/app/creators/${id}/contract`, {
      "previewing a contract": { intent: "preview", model: "REVENUE_SHARE", percent: "50" },
      "saving a contract": { intent: "save", model: "REVENUE_SHARE", percent: "50" },
    }),
  },
  "app.creators.$creatorId_.deliverables.tsx": {
    module: creatorDeliverables,
    ...creatorRoute(creatorDeliverables, (id) => `/app/creators/${id}/deliverables`, {
      "adding a deliverable": { kind: "VIDEO", title: "Stolen", url: "", deliveredOn: "2025-01-01" },
    }),
  },
  "app.creators.$creatorId_.edit.tsx": {
    module: creatorEdit,
    ...creatorRoute(creatorEdit, (id) => `/app/creators/${id}/edit`, {
      "editing the creator": { name: "Renamed", email: "", handle: "renamed", referrerDomains: "", customerGid: "", discountCode: "RENAMED1" },
    }),
  },
  "app.creators.$creatorId_.ledger.tsx": {
    module: creatorLedger,
    ...creatorRoute(creatorLedger, (id) => `/app/creators/${id}/ledger`, {
      "posting an adjustment": { intent: "adjust", amount: "-99.00", reason: "Taken", formToken: randomUUID() },
      "recording a payout": { intent: "payout", method: "PAYPAL", reference: "x", note: "", fxRate: "", paidOn: "" },
      "changing payout settings": { intent: "settings", payoutCurrency: "EUR", paypalEmail: "thief@example.com" },
    }),
  },
  "app.creators.$creatorId_.links.tsx": {
    module: creatorLinks,
    ...(() => {
      const cases = creatorRoute(creatorLinks, (id) => `/app/creators/${id}/links`, {
        "creating a link": { intent: "create", label: "Stolen", utmSource: "instagram" },
        "archiving a link": { intent: "archive", linkId: "" },
        "creating a code in Shopify": { intent: "create-code", code: "STOLEN10", percentOff: "10" },
        "linking a code": { intent: "link-code", code: "STOLEN10" },
      });
      return {
        loader: cases.loader,
        action: {
          ...cases.action,
          "archiving B's link under A's creator is not found": async () => {
            const id = A.creatorIds[0];
            for (const intent of ["archive", "unarchive"]) {
              const result = await asA(creatorLinks.action, `/app/creators/${id}/links`, { form: { intent, linkId: B.linkIds[0]! }, params: { creatorId: id } });
              notFound(result);
              await expectNothingOfB(result, [B.linkIds[0]!]);
            }
          },
        },
      };
    })(),
  },
  "app.experiments._index.tsx": {
    module: experiments,
    loader: {
      "lists A's experiments only": async () => {
        const result = await asA(experiments.loader, "/app/experiments");
        expect((result.data as { experiments: unknown[] }).experiments).toHaveLength(1);
        expectA(await expectNothingOfB(result));
      },
    },
  },
  "app.experiments.new.tsx": {
    module: newExperiment,
    loader: {
      "the creator picker finds none of B's creators": async () => {
        const result = await asA(newExperiment.loader, `/app/experiments/new?creatorQuery=${B.marker}`);
        expect((result.data as { creatorMatches: unknown[] }).creatorMatches).toEqual([]);
        await expectNothingOfB(result, [B.marker]);
      },
    },
    action: {
      "an experiment on B's creators (hidden creatorIds) is refused": async () => {
        const form = new URLSearchParams({ name: "Stolen", design: "PERIOD_HOLDOUT", exposedRegions: "", controlRegions: "", startsOn: "2025-06-10", endsOn: "2025-06-20", baselineStartsOn: "2025-05-01", baselineEndsOn: "2025-05-20", notes: "" });
        form.append("creatorIds", B.creatorIds[0]);
        form.append("creatorIds", A.creatorIds[0]);
        const result = await asA(newExperiment.action, "/app/experiments/new", { form });
        expect(result).toMatchObject({ status: 400, data: { fieldErrors: { creatorIds: expect.any(String) } } });
        expect(await prisma.experiment.count({ where: { shopId: A.shop.id } })).toBe(1);
      },
    },
  },
  "app.experiments.$experimentId.tsx": {
    module: experimentPage,
    loader: {
      "B's experiment is not found": async () => {
        const result = await asA(experimentPage.loader, `/app/experiments/${B.experimentId}`, { params: { experimentId: B.experimentId } });
        notFound(result);
        await expectNothingOfB(result, [B.experimentId]);
      },
    },
    action: {
      "deleting B's experiment is not found": async () => {
        const result = await asA(experimentPage.action, `/app/experiments/${B.experimentId}`, { form: { intent: "delete" }, params: { experimentId: B.experimentId } });
        notFound(result);
      },
    },
  },
  "app.jobs.tsx": {
    module: jobs,
    loader: {
      "shows A's failed jobs and none of B's": async () => {
        const result = await asA(jobs.loader, "/app/jobs");
        const text = await expectNothingOfB(result);
        expect(text).toContain(failedJobIds.A);
        expect(text).not.toContain(failedJobIds.B);
      },
    },
    action: {
      "retrying B's failed job is not found": async () => {
        const result = await asA(jobs.action, "/app/jobs", { form: { intent: "retry", queue: COMMISSIONS_QUEUE, jobId: failedJobIds.B } });
        expect(result.status).toBe(404);
        const job = await commissions.getJob(failedJobIds.B);
        expect(await job!.isFailed()).toBe(true);
      },
      "retrying everything retries A's jobs only": async () => {
        const result = await asA(jobs.action, "/app/jobs", { form: { intent: "retry-all" } });
        expect(result.status).toBe(200);
        expect(await (await commissions.getJob(failedJobIds.B))!.isFailed()).toBe(true);
      },
    },
  },
  "app.leaderboard.tsx": {
    module: leaderboard,
    loader: {
      "ranks A's creators only": async () => {
        const result = await asA(leaderboard.loader, `/app/leaderboard?${rangeQuery()}`);
        expect((result.data as { board: { creatorCount: number } }).board.creatorCount).toBe(2);
        expectA(await expectNothingOfB(result));
      },
      "B's niche is not a filter A can use": async () => {
        const result = await asA(leaderboard.loader, `/app/leaderboard?${rangeQuery()}&niche=${encodeURIComponent(`${B.marker} niche`)}`);
        expect(result.status).toBe(400);
        await expectNothingOfB(result, [B.marker]);
      },
    },
  },
  "app.leaderboard.csv.tsx": {
    module: leaderboardCsv,
    loader: {
      "the CSV holds A's creators only": async () => {
        const result = await asA(leaderboardCsv.loader, `/app/leaderboard/csv?${rangeQuery()}`);
        expect(result.status).toBe(200);
        expectA(await expectNothingOfB(result));
      },
    },
  },
  "app.orders._index.tsx": {
    module: orders,
    loader: {
      "lists A's orders only": async () => {
        const result = await asA(orders.loader, "/app/orders");
        expectA(await expectNothingOfB(result));
      },
      "filtering by B's creator or searching B's order names finds nothing": async () => {
        for (const query of [`creator=${B.creatorIds[0]}`, `q=${encodeURIComponent(B.marker)}`]) {
          const result = await asA(orders.loader, `/app/orders?${query}`);
          expect((result.data as { page: { orders: unknown[] } }).page.orders).toEqual([]);
          await expectNothingOfB(result, [B.creatorIds[0], B.marker]);
        }
      },
    },
  },
  "app.orders.$orderId.tsx": {
    module: orderPage,
    loader: {
      "B's order is not found": async () => {
        for (const id of B.orderIds) {
          const result = await asA(orderPage.loader, `/app/orders/${id}`, { params: { orderId: id } });
          notFound(result);
          await expectNothingOfB(result, [id]);
        }
      },
    },
    action: {
      "overriding, clearing, approving or rejecting B's order is not found": async () => {
        const id = B.orderIds[0]!;
        for (const form of <Record<string, string>[]>[
          { intent: "override", creatorId: A.creatorIds[0], reason: "Credited to our creator instead" },
          { intent: "override", creatorId: "nobody", reason: "Credited to nobody at all" },
          { intent: "clear-override", reason: "The override was a mistake" },
          { intent: "approve", reason: "" },
          { intent: "reject", reason: "The code was leaked on a coupon site" },
        ]) {
          const result = await asA(orderPage.action, `/app/orders/${id}`, { form, params: { orderId: id } });
          notFound(result);
        }
      },
      "crediting A's order to B's creator (the form's creatorId) is refused": async () => {
        const id = A.orderIds[0]!;
        const result = await asA(orderPage.action, `/app/orders/${id}`, { form: { intent: "override", creatorId: B.creatorIds[0], reason: "Credited to the other shop's creator" }, params: { orderId: id } });
        expect(result).toMatchObject({ status: 400, data: { fieldErrors: { creatorId: expect.any(String) } } });
        expect(await prisma.attribution.findUniqueOrThrow({ where: { orderId: id } })).toMatchObject({ overridden: false, creatorId: A.creatorIds[0] });
      },
    },
  },
  "app.orders.import.tsx": {
    module: ordersImport,
    loader: {
      "shows A's imports only": async () => {
        const result = await asA(ordersImport.loader, "/app/orders/import");
        expectA(await expectNothingOfB(result));
      },
    },
    action: {
      "starts an import of A's orders": async () => {
        const result = await asA(ordersImport.action, "/app/orders/import", { form: { since: "" } });
        expect(result).toMatchObject({ status: 200, data: { started: true } });
        expect(await prisma.orderSync.count({ where: { shopId: A.shop.id, status: "RUNNING" } })).toBe(1);
      },
    },
  },
  "app.payouts._index.tsx": {
    module: payouts,
    loader: {
      "lists A's payouts only": async () => {
        const result = await asA(payouts.loader, "/app/payouts");
        const text = await expectNothingOfB(result);
        expect(text).toContain(A.payoutIds[0]);
      },
    },
  },
  "app.payouts.csv.tsx": {
    module: payoutsCsv,
    loader: {
      "B's payout is not in this shop: no file": async () => {
        const asked = [B.payoutIds[0]!];
        const result = await asA(payoutsCsv.loader, `/app/payouts/csv?payoutId=${asked[0]}&payoutId=${A.payoutIds[0]}`);
        expect(result.status).toBe(422);
        expect(await expectNothingOfB(result, asked)).toContain("No such payout in this shop");
      },
    },
    action: {
      "exporting B's payout (with A's) hands out nothing and stamps nothing": async () => {
        const form = new URLSearchParams([["payoutId", B.payoutIds[0]!], ["payoutId", A.payoutIds[0]!]]);
        const result = await asA(payoutsCsv.action, "/app/payouts/csv", { form });
        expect(result.status).toBe(422);
        await expectNothingOfB(result, [B.payoutIds[0]!]);
        expect((await prisma.payout.findUniqueOrThrow({ where: { id: A.payoutIds[0]! } })).exportedAt).toBeNull();
      },
    },
  },
  "app.settings.tsx": {
    module: settings,
    loader: {
      "shows A's settings": async () => {
        const result = await asA(settings.loader, "/app/settings");
        expect(result.data).toMatchObject({ holdDays: 0 });
        await expectNothingOfB(result);
      },
    },
    action: {
      "saves A's settings only": async () => {
        const result = await asA(settings.action, "/app/settings", { form: { holdDays: "14" } });
        expect(result.status).toBe(200);
        expect((await prisma.shop.findUniqueOrThrow({ where: { id: A.shop.id } })).holdDays).toBe(14);
      },
    },
  },
  "app.statements._index.tsx": {
    module: statements,
    loader: {
      "A's period shows A's creators, and a preview of B's creator shows nothing": async () => {
        const creatorId = B.creatorIds[0];
        const result = await asA(statements.loader, `/app/statements?period=${B.period.key}&preview=${creatorId}`);
        expect(result.data).toMatchObject({ previewRequested: true, preview: null });
        expectA(await expectNothingOfB(result, [creatorId]));
      },
      "A's preview of A's creator is A's statement": async () => {
        const result = await asA(statements.loader, `/app/statements?period=${B.period.key}&preview=${A.creatorIds[0]}`);
        expect(result.data).toMatchObject({ preview: { ok: true } });
        await expectNothingOfB(result);
      },
    },
    action: {
      "excluding, including, sending or resending B's creator's statement is not found": async () => {
        const creatorId = B.creatorIds[0];
        for (const form of <Record<string, string>[]>[
          { intent: "exclude", creatorId },
          { intent: "include", creatorId },
          { intent: "send", creatorId, periodKey: B.period.key },
          { intent: "resend", creatorId, periodKey: B.period.key, formToken: randomUUID() },
        ]) {
          const result = await asA(statements.action, "/app/statements", { form });
          notFound(result);
        }
      },
      "sending the period queues A's statements only": async () => {
        const result = await asA(statements.action, "/app/statements", { form: { intent: "send-period", periodKey: B.period.key, formToken: randomUUID() } });
        expect(result.status).toBe(200);
        const queued = await statementsQueue().getJobs(["waiting", "delayed", "prioritized"]);
        expect(queued.length).toBeGreaterThan(0);
        for (const job of queued) expect(job.data).toMatchObject({ shopId: A.shop.id });
      },
    },
  },
  "app.statements.settings.tsx": {
    module: statementSettings,
    loader: {
      "shows A's settings, rates and exclusions": async () => {
        const result = await asA(statementSettings.loader, "/app/statements/settings");
        expectA(await expectNothingOfB(result));
      },
    },
    action: {
      "saves A's settings and rates only": async () => {
        const saved = await asA(statementSettings.action, "/app/statements/settings", { form: { intent: "settings", cadence: "WEEKLY", autoSend: "on", fromName: `${A.marker} Payouts`, replyTo: "", logoUrl: "" } });
        expect(saved).toMatchObject({ status: 200, data: { saved: true } });
        const rate = await asA(statementSettings.action, "/app/statements/settings", { form: { intent: "rate", currencyCode: "GBP", rate: "0.8" } });
        expect(rate.status).toBe(200);
      },
    },
  },
  "app.survey.tsx": {
    module: survey,
    loader: {
      "offers A's creators only": async () => {
        const result = await asA(survey.loader, "/app/survey");
        expect((result.data as { creators: unknown[] }).creators).toHaveLength(2);
        expectA(await expectNothingOfB(result));
      },
    },
    action: {
      "choosing B's creator for A's survey (the form's creatorIds) is refused": async () => {
        const form = new URLSearchParams({ enabled: "on", question: "", creatorSelection: "CHOSEN", includeOther: "on", otherLabel: "", randomize: "" });
        form.append("creatorIds", B.creatorIds[0]);
        const result = await asA(survey.action, "/app/survey", { form });
        expect(result).toMatchObject({ status: 400, data: { saved: false } });
        expect((await prisma.shop.findUniqueOrThrow({ where: { id: A.shop.id } })).surveySettings).not.toMatchObject({ creatorIds: [B.creatorIds[0]] });
      },
    },
  },
  "app.survey_.results.tsx": {
    module: surveyResults,
    loader: {
      "summarizes A's answers only": async () => {
        const result = await asA(surveyResults.loader, `/app/survey/results?${rangeQuery()}`);
        expect(result.status).toBe(200);
        await expectNothingOfB(result);
      },
    },
  },
};

// ---------- Setup ----------

const connection = createRedis({ failFast: false });
const commissions = createCommissionsQueue(connection);
const failedJobIds = { A: "", B: "" };

/** A settlement job of the shop, failed for good by a worker that refuses it: what the jobs page lists. */
async function failedSettlement(shop: SeededShop): Promise<string> {
  const jobId = `isolation-${shop.marker}`;
  await commissions.add("settle-creator-period", { shopId: shop.shop.id, creatorId: shop.creatorIds[0], periodKey: shop.period.key, changeVersion: 1 }, { jobId });
  return jobId;
}

beforeAll(async () => {
  const suffix = randomUUID().slice(0, 8).toUpperCase();
  A = await seedShop(`AQZ${suffix}`);
  B = await seedShop(`BQZ${suffix}`);
  failedJobIds.A = await failedSettlement(A);
  failedJobIds.B = await failedSettlement(B);
  const failed = new Set<string>();
  const worker = new Worker(COMMISSIONS_QUEUE, async () => { throw new UnrecoverableError("refused by the isolation test"); }, { connection: createRedis({ failFast: false }), prefix: process.env.QUEUE_PREFIX });
  await new Promise<void>((resolve) => worker.on("failed", (job) => { failed.add(job!.id!); if (failed.size === 2) resolve(); }));
  await worker.close();
  bBaseline = await snapshotShop(B.shop);
  bIds = idsIn(bBaseline);
}, 120_000);

afterEach(async () => {
  // Whatever A's request did, every row of B is as it was.
  expect(await snapshotShop(B.shop)).toEqual(bBaseline);
});

afterAll(async () => {
  const { queues, redis } = webJobQueues();
  await Promise.all(Object.values(queues).map((queue) => queue.obliterate({ force: true })));
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
  redis.disconnect();
  await commissions.close();
  connection.disconnect();
});

// ---------- The tests ----------

describe("admin routes", () => {
  it("covers every loader and action of every admin route module", () => {
    const routeFiles = readdirSync(join(process.cwd(), "app/routes")).filter((file) => /^app([._].*)?\.tsx$/.test(file) && !file.includes(".test."));
    expect(Object.keys(ROUTES).sort()).toEqual(routeFiles.sort());
    for (const [file, { module, ...cases }] of Object.entries(ROUTES)) {
      for (const kind of ["loader", "action"] as const) {
        expect({ file, kind, covered: Object.keys(cases[kind] ?? {}).length > 0 }).toEqual({ file, kind, covered: typeof module[kind] === "function" });
      }
    }
  });

  it("B's data is in B's own pages (the secrets the tests look for are there to find)", async () => {
    const result = await callRoute(creators.loader as RouteFunction, adminRequest(B.shop.domain, "/app/creators"));
    const text = await responseText(result);
    expect(leakedSecrets(text, { marker: B.marker, domain: B.shop.domain, ids: B.creatorIds })).toEqual([B.marker, ...B.creatorIds]);
  });

  for (const [file, route] of Object.entries(ROUTES)) {
    describe(file, () => {
      for (const kind of ["loader", "action"] as const) {
        for (const [name, run] of Object.entries(route[kind] ?? {})) it(`${kind}: ${name}`, run);
      }
    });
  }
});
