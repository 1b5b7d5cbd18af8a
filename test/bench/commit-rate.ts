// The ceiling for anything that commits once per order: how many single-row INSERT + COMMIT round trips this
// PostgreSQL takes per second, from `connections` clients at once (autocommit, so every insert waits for its WAL
// flush; concurrent clients share flushes through group commit). A table of its own, dropped afterwards.
import pg from "pg";

export async function singleRowCommitRate(databaseUrl: string, connections: number, seconds: number): Promise<number> {
  const table = `bench_commit_${process.pid}_${connections}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, shop_id uuid NOT NULL, event_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  const clients = Array.from({ length: connections }, () => new pg.Client({ connectionString: databaseUrl }));
  try {
    await Promise.all(clients.map((client) => client.connect()));
    let committed = 0;
    const started = performance.now();
    const deadline = started + seconds * 1_000;
    await Promise.all(
      clients.map(async (client, index) => {
        for (let n = 0; performance.now() < deadline; n += 1) {
          await client.query({ name: "insert", text: `INSERT INTO ${table} (shop_id, event_id) VALUES (gen_random_uuid(), $1)`, values: [`${index}-${n}`] });
          committed += 1;
        }
      }),
    );
    return committed / ((performance.now() - started) / 1_000);
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    await admin.query(`DROP TABLE IF EXISTS ${table}`);
    await admin.end();
  }
}
