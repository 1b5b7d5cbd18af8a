// GraphQL errors worded the way Shopify's Admin API (graphql-ruby) words them, where graphql-js words them otherwise.
import type { GraphQLError, GraphQLFormattedError } from "graphql";

/** Shopify words an unknown field the way graphql-ruby does, with an `undefinedField` code. */
export function formatError(error: GraphQLError): GraphQLFormattedError {
  const formatted = error.toJSON();
  const unknownField = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(error.message);
  if (unknownField) {
    return {
      ...formatted,
      message: `Field '${unknownField[1]}' doesn't exist on type '${unknownField[2]}'`,
      extensions: { code: "undefinedField", typeName: unknownField[2], fieldName: unknownField[1] },
    };
  }
  return formatted;
}

/**
 * A syntax error as graphql-ruby reports it ("syntax error, unexpected end of file"); graphql-js says
 * "Syntax Error: Unexpected <EOF>." for the same document.
 */
export function syntaxErrorMessage(error: GraphQLError): string {
  const detail = error.message.replace(/^Syntax Error:\s*/, "").replace(/\.$/, "");
  if (/<EOF>/.test(detail)) return "syntax error, unexpected end of file";
  const location = error.locations?.[0];
  const where = location ? ` at [${location.line}, ${location.column}]` : "";
  return `syntax error, ${detail.charAt(0).toLowerCase()}${detail.slice(1)}${where}`;
}
