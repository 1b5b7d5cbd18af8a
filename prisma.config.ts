// Prisma's CLI runs migrations through the WebAssembly schema engine and this driver adapter,
// so nothing is downloaded at install or deploy time. The CLI downloads native engines whenever
// it cannot see a DATABASE_URL, hence the default below (`||=` also covers an empty value).
process.env.DATABASE_URL ||= "postgresql://postgres@127.0.0.1:5432/creator_ledger";

import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import pg from "pg";

const PG_NAME_OID = 19;
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

function poolConfig(url: string): pg.PoolConfig {
  // Discrete fields, not connectionString: the shadow-database pool spreads this config and
  // overrides `database`, which a connectionString would silently win over.
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username || "postgres"),
    password: decodeURIComponent(parsed.password) || undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)),
  };
}

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;

// Works around @prisma/adapter-pg 6.19 gaps that only the schema engine hits (prisma/orm#27403).
function patchForSchemaEngine(adapter: Adapter, pool: pg.Pool): Adapter {
  const queryable = adapter as unknown as {
    performIO(query: unknown): Promise<pg.QueryResult>;
    executeScript(script: string): Promise<void>;
  };
  const performIO = queryable.performIO.bind(adapter);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) {
      if (field.dataTypeID === PG_NAME_OID || field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
    return result;
  };
  // The stock implementation splits on every `;`, which breaks $$-quoted function bodies.
  queryable.executeScript = async (script) => {
    await pool.query(script);
  };
  return adapter;
}

class MigrationAdapterFactory extends PrismaPg {
  constructor(private readonly baseConfig: pg.PoolConfig) {
    super(baseConfig);
  }

  override async connect() {
    const pool = new pg.Pool(this.baseConfig);
    const adapter = await new PrismaPg(pool, { disposeExternalPool: true }).connect();
    return patchForSchemaEngine(adapter, pool);
  }

  override async connectToShadowDb() {
    const admin = new pg.Pool(this.baseConfig);
    const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
    await admin.query(`CREATE DATABASE "${database}"`);
    const shadowPool = new pg.Pool({ ...this.baseConfig, database });
    const adapter = await new PrismaPg(shadowPool).connect();
    const patched = patchForSchemaEngine(adapter, shadowPool);
    const dispose = patched.dispose.bind(patched);
    patched.dispose = async () => {
      // The shadow pool must be closed before its database can be dropped.
      await dispose();
      await shadowPool.end();
      await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
      await admin.end();
    };
    return patched;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  adapter: async () => new MigrationAdapterFactory(poolConfig(process.env.DATABASE_URL!)),
});
