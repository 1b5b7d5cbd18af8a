import { z } from "zod";
import { InvalidPayloadError } from "../orders/parse-order-payload";

/** What the app reads of collections/update and collections/delete (delete carries no title). */
export const collectionPayloadSchema = z.object({
  admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/Collection\/\d+$/, "must be a Collection gid"),
  title: z.string().nullish(),
});

export interface CollectionFacts {
  collectionGid: string;
  title: string | null;
}

export function parseCollectionPayload(payload: unknown): CollectionFacts {
  const parsed = collectionPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    throw new InvalidPayloadError(`Collection payload rejected: ${z.prettifyError(parsed.error)}`);
  }
  const title = parsed.data.title?.trim();
  return { collectionGid: parsed.data.admin_graphql_api_id, title: title ? title : null };
}
