// Every Admin GraphQL document in the app, validated against Shopify's published Admin schema (from
// @shopify/dev-mcp) for the app's API version.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, parse, validate, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { describe, expect, it } from "vitest";
import { ADMIN_OPERATIONS } from "~/shopify/admin-operations";
import { SHOPIFY_API_VERSION } from "~/shopify.server";

function adminSchema(version: string): GraphQLSchema {
  const file = `node_modules/@shopify/dev-mcp/dist/data/admin_${version}.json.gz`;
  const introspection = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as { data: IntrospectionQuery };
  return buildClientSchema(introspection.data);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const schema = adminSchema(SHOPIFY_API_VERSION);

describe(`Admin GraphQL documents against Shopify's ${SHOPIFY_API_VERSION} schema`, () => {
  it.each(Object.entries(ADMIN_OPERATIONS))("%s is valid", (_name, document) => {
    const errors = validate(schema, parse(document));
    expect(errors.map((error) => error.message)).toEqual([]);
  });

  it("a document with a field Shopify does not have is rejected (the check can fail)", () => {
    const errors = validate(schema, parse(`query { shop { name landingSiteOfTheShop } }`));
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining("landingSiteOfTheShop")]);
  });

  it("no Admin GraphQL document lives outside app/shopify/admin-operations.ts", () => {
    const offenders = sourceFiles("app").filter(
      (path) => !path.endsWith("admin-operations.ts") && readFileSync(path, "utf8").includes("#graphql"),
    );
    expect(offenders).toEqual([]);
  });
});
