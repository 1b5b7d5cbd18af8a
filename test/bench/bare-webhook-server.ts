// The acknowledgement's ceiling: the same work as the app's webhook route — read the body, check its HMAC, look the
// shop up, insert the inbox row, enqueue the BullMQ job (same table, same SQL, same queue and job id) — on a bare
// node:http server with a plain pg pool of the size Prisma's pg adapter uses (10). No Remix, no Prisma, no
// shopify-api. Run as its own process by the ack bench; PORT, DATABASE_URL, REDIS_URL, QUEUE_PREFIX from the env.
import { createServer } from "node:http";
import pg from "pg";
import { createInboxQueue, createRedis, inboxJobId, JOB } from "~/queues.server";
import { verifyWebhookHmac } from "../simulator/signing";

const secret = process.env.SHOPIFY_API_SECRET!;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const queue = createInboxQueue(createRedis({ failFast: true }));

const server = createServer(async (request, response) => {
  if (request.method !== "POST") {
    response.writeHead(405, { Allow: "POST" }).end();
    return;
  }
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const header = (name: string) => String(request.headers[name] ?? "");
    if (!verifyWebhookHmac(raw, secret, header("x-shopify-hmac-sha256"))) {
      response.writeHead(401).end();
      return;
    }
    const payload = JSON.parse(raw.toString("utf8"));
    const shopDomain = header("x-shopify-shop-domain");
    const eventId = header("x-shopify-event-id");
    const shop = await pool.query<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = $1`, [shopDomain]);
    if (!shop.rows[0]) {
      response.writeHead(200).end();
      return;
    }
    const inserted = await pool.query(
      `INSERT INTO "InboxEvent" ("id", "shopDomain", "eventId", "webhookId", "topic", "apiVersion", "triggeredAt", "payload")
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7::jsonb)
       ON CONFLICT ("shopDomain", "eventId") DO NOTHING`,
      [shopDomain, eventId, header("x-shopify-webhook-id"), "ORDERS_CREATE", header("x-shopify-api-version"), header("x-shopify-triggered-at") || null, JSON.stringify(payload)],
    );
    if (inserted.rowCount) {
      const job = { shopId: shop.rows[0].id, shopDomain, eventId };
      await queue.add(JOB.processInboxEvent, job, { jobId: inboxJobId(job) });
    }
    response.writeHead(200).end();
  } catch (error) {
    console.error(error);
    response.writeHead(503).end();
  }
});

server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log(`listening ${process.env.PORT}`));
const stop = () => server.close(() => void Promise.all([pool.end(), queue.close()]).finally(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
