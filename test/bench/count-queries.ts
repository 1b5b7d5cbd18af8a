// Counts the database round trips the worker makes per order (issue #8): `npx tsx test/bench/count-queries.ts [orders]`.
// Stores N orders/create events in the inbox of a throwaway database (each crediting one of 100 bench creators by
// code, as the e2e bench does), processes them one after another through processInboxEvent with a Prisma client on
// a pg pool whose every query is counted (BEGIN and COMMIT included), and prints the statements of the last order.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { createMigratedDatabase, dropDatabase } from "../support/database";
import { appEnv, BENCH_API_SECRET, ROOT } from "./bench-env";

/** CPU time all cores spent busy since boot (/proc/stat, USER_HZ = 100). */
function busyCpuMs(): number {
  const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) * 10;
}

const orders = Number(process.argv[2] ?? 200);
const baseUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const databaseUrl = await createMigratedDatabase(baseUrl, `creator_ledger_count_${randomBytes(3).toString("hex")}`, ROOT);
Object.assign(process.env, appEnv(databaseUrl, `count-${randomUUID()}`), { LOG_LEVEL: "warn" });

const statements: string[] = [];
const pool = new pg.Pool({ connectionString: databaseUrl });
// Dropping the database at the end ends its idle connections.
pool.on("error", () => undefined);
pool.on("connect", (client) => {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const first = args[0];
    statements.push(typeof first === "string" ? first : String((first as { text?: string }).text ?? first));
    return query(...args);
  };
});
const counted = new PrismaClient({ adapter: new PrismaPg(pool) });

try {
  // Imported only now: the app's modules read the environment on import.
  const { prisma } = await import("~/db.server");
  const { processInboxEvent } = await import("~/services/process-inbox-event.server");
  const { benchCode, createBenchCreators, createBenchShop } = await import("./fixtures");
  const { orderWebhookFactory } = await import("./order-webhooks");
  const shop = await createBenchShop("count");
  await createBenchCreators(shop.id, 100);
  const factory = orderWebhookFactory({ shopDomain: shop.domain, secret: BENCH_API_SECRET });
  const eventIds: string[] = [];
  for (let n = 0; n < orders; n++) {
    const eventId = randomUUID();
    const body = factory.delivery(n, benchCode((n % 100) + 1)).body;
    await prisma.$executeRaw`
      INSERT INTO "InboxEvent" ("id", "shopDomain", "eventId", "webhookId", "topic", "apiVersion", "payload")
      VALUES (gen_random_uuid(), ${shop.domain}, ${eventId}, ${eventId}, 'ORDERS_CREATE', '2025-10', ${body}::jsonb)`;
    eventIds.push(eventId);
  }

  let lastOrder: string[] = [];
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  const machineBefore = busyCpuMs();
  for (const eventId of eventIds) {
    const before = statements.length;
    const result = await processInboxEvent(counted, { shopDomain: shop.domain, eventId });
    if (result.outcome !== "processed") throw new Error(`event ${eventId}: ${result.outcome}`);
    lastOrder = statements.slice(before);
  }
  const seconds = (performance.now() - startedAt) / 1_000;
  const cpu = process.cpuUsage(cpuBefore);
  const machineMs = busyCpuMs() - machineBefore;
  const ledger = await prisma.ledgerEntry.count({ where: { shopId: shop.id } });
  if (ledger !== orders) throw new Error(`${ledger} ledger entries for ${orders} orders`);
  console.log(`${orders} orders: ${(statements.length / orders).toFixed(1)} queries per order, ${(orders / seconds).toFixed(0)} orders/s one at a time, ${((cpu.user + cpu.system) / 1_000 / orders).toFixed(1)} ms of this process's CPU per order, ${(machineMs / orders).toFixed(1)} ms of the machine's (PostgreSQL, this process and whatever else runs)`);
  console.log("the last order's statements:");
  for (const statement of lastOrder) console.log(`  ${statement.replace(/\s+/g, " ").slice(0, 160)}`);
  await prisma.$disconnect();
} finally {
  await counted.$disconnect();
  await pool.end();
  await dropDatabase(databaseUrl);
}
