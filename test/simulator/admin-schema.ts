// Shopify's real Admin GraphQL schema for the simulator's API version, as Shopify's own dev tooling ships it
// (@shopify/dev-mcp keeps the introspection result of each version). Queries the app sends are validated against
// it, so a field Shopify does not have fails here as it would in production.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { API_VERSION } from "./orders";

const require = createRequire(import.meta.url);

let cached: GraphQLSchema | undefined;

export function adminSchemaPath(version = API_VERSION): string {
  // The package exports neither its data folder nor its manifest, so look where Node would look for the package.
  const file = join("@shopify", "dev-mcp", "dist", "data", `admin_${version}.json.gz`);
  const found = (require.resolve.paths("@shopify/dev-mcp") ?? []).map((dir) => join(dir, file)).find((path) => existsSync(path));
  if (!found) throw new Error(`Shopify's Admin schema ${file} is missing: is the devDependency @shopify/dev-mcp installed?`);
  return found;
}

/** The Admin API schema (built once per process: about 150 ms). */
export function adminSchema(): GraphQLSchema {
  if (cached) return cached;
  const introspection = JSON.parse(gunzipSync(readFileSync(adminSchemaPath())).toString("utf8")) as { data: IntrospectionQuery };
  cached = buildClientSchema(introspection.data);
  return cached;
}
