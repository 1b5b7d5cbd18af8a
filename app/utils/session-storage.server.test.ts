import { createServer, connect, type Server } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "~/db.server";
import { RecoveringPrismaSessionStorage } from "./session-storage.server";

/** A TCP door in front of PostgreSQL that is shut until opened: the database "comes up" mid-test. */
function postgresDoor(port: number) {
  const target = new URL(process.env.DATABASE_URL!);
  let server: Server | undefined;
  return {
    url: Object.assign(new URL(target), { port: String(port), hostname: "127.0.0.1" }).toString(),
    open: () =>
      new Promise<void>((resolve) => {
        server = createServer((client) => {
          const upstream = connect(Number(target.port || 5432), target.hostname);
          client.pipe(upstream).pipe(client);
          client.on("error", () => upstream.destroy());
          upstream.on("error", () => client.destroy());
        }).listen(port, "127.0.0.1", resolve);
      }),
    close: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}

describe("RecoveringPrismaSessionStorage", () => {
  const door = postgresDoor(20_000 + Math.floor(Math.random() * 20_000));
  const prisma = createPrismaClient(door.url);
  afterAll(async () => {
    await prisma.$disconnect();
    await door.close();
  });

  it("works once PostgreSQL is back, though it was down when the app booted", async () => {
    const storage = new RecoveringPrismaSessionStorage(prisma);
    await expect(storage.loadSession("offline_nobody.myshopify.com")).rejects.toThrow();
    await door.open();
    await expect(storage.loadSession("offline_nobody.myshopify.com")).resolves.toBeUndefined();
  });
});
