// The inner query of a bulk operation (bulkOperationRunQuery): checked the way Shopify checks it, run without
// page sizes, and written out as Shopify's JSONL.
//
// Shopify's rules, with the userError messages its Admin API answers (captured from API version 2026-04):
// - the document is a normal query, validated against the Admin schema ("Invalid bulk query: …");
// - only `query` operations ("Invalid operation type. Only `query` operations are supported.");
// - at least one connection, at most 5, nested at most 2 below the top-level one;
// - no top-level `node`; connections select their nodes through `edges { node { … } }` (never `nodes`);
// - a node holding a nested connection selects its own `id`, unaliased: the nested nodes point at it with
//   `__parentId` (the nested nodes themselves need no `id`);
// - no connection inside a list field;
// - page sizes are optional; the simulator ignores any given (`first`, `last`, `after`, `before`) and exports
//   every node.
//
// JSONL: one object per node of a connection. A nested connection is left out of its parent's object and each of
// its nodes becomes its own line, with `__parentId` (the parent node's id) as its last key, after its parent. Other
// objects and lists (taxLines, customerJourneySummary, …) stay inline. Like Shopify's writer, "/" is escaped as
// "\/" and every line ends with "\n".
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  print,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { formatError, syntaxErrorMessage } from "./graphql-errors";

export const MAX_BULK_QUERY_CONNECTIONS = 5;
export const MAX_BULK_QUERY_NESTING = 2;
const PAGINATION_ARGUMENTS = new Set(["first", "last", "after", "before"]);

export interface BulkOperationUserError {
  field: string[] | null;
  message: string;
  code: "INVALID" | "OPERATION_IN_PROGRESS" | "LIMIT_REACHED" | null;
}

export interface PreparedBulkQuery {
  /** The document to run: the query as sent, without page sizes. */
  document: DocumentNode;
  /** Which response keys hold connections, objects and leaves, to write the JSONL with. */
  shape: Shape;
}

type Shape = Map<string, FieldShape>;
type FieldShape = { kind: "leaf" } | { kind: "object"; shape: Shape } | { kind: "connection"; node: Shape };

const invalid = (message: string): BulkOperationUserError => ({ field: ["query"], message, code: "INVALID" });

/**
 * Checks a bulk query. `supportedRoots` are the top-level connections the simulator can export; a valid query over
 * another root is refused with a userError that says so (Shopify would run it).
 */
export function prepareBulkQuery(
  schema: GraphQLSchema,
  query: string,
  supportedRoots: readonly string[],
): { ok: true; prepared: PreparedBulkQuery } | { ok: false; userErrors: BulkOperationUserError[] } {
  const fail = (userErrors: BulkOperationUserError[]) => ({ ok: false as const, userErrors });
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return fail([invalid(`Invalid bulk query: ${syntaxErrorMessage(error)}`)]);
    throw error;
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.some((operation) => operation.operation !== "query")) {
    return fail([invalid("Invalid operation type. Only `query` operations are supported.")]);
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) return fail(validationErrors.map((error) => invalid(`Invalid bulk query: ${formatError(error).message}`)));
  if (operations.length !== 1) return fail([invalid("Invalid bulk query: An operation name is required")]);
  const operation = operations[0]!;
  // Bulk queries are sent without variables: a required one can only be missing.
  const required = operation.variableDefinitions?.find((v) => v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue);
  if (required) {
    return fail([invalid(`Invalid bulk query: Variable $${required.variable.name.value} of type ${print(required.type)} was provided invalid value`)]);
  }

  const fragments = fragmentsOf(document);
  const root = schema.getQueryType()!;
  const structural = analyze(schema, fragments, root, operation.selectionSet);
  if (structural.length > 0) return fail(structural);

  const rootFields: string[] = [];
  forEachField(schema, fragments, root, operation.selectionSet, (node) => {
    if (node.name.value !== "__typename") rootFields.push(node.name.value);
  });
  const unsupported = [...new Set(rootFields.filter((name) => !supportedRoots.includes(name)))];
  if (unsupported.length > 0) {
    return fail([
      invalid(
        `The store simulator runs bulk queries over the top-level ${supportedRoots.map((r) => `\`${r}\``).join(", ")} connection only; ${unsupported.map((r) => `\`${r}\``).join(", ")} is not simulated.`,
      ),
    ]);
  }

  return {
    ok: true,
    prepared: { document: withoutPageSizes(schema, document), shape: shapeOf(schema, fragments, root, operation.selectionSet) },
  };
}

// --- Shopify's restrictions --------------------------------------------------------------------------------------

interface Analysis {
  connections: number;
  deepestNesting: number;
  topLevelNode: boolean;
  topLevelNodes: boolean;
  /** Connections selected through `nodes`, or without `edges { node }`. */
  withoutEdgesNode: string[];
  /** Connections whose node holds a nested connection but does not select its `id`. */
  parentsWithoutId: string[];
  connectionInList: boolean;
}

function analyze(schema: GraphQLSchema, fragments: Fragments, root: GraphQLCompositeType, selectionSet: SelectionSetNode): BulkOperationUserError[] {
  const a: Analysis = {
    connections: 0,
    deepestNesting: 0,
    topLevelNode: false,
    topLevelNodes: false,
    withoutEdgesNode: [],
    parentsWithoutId: [],
    connectionInList: false,
  };
  forEachField(schema, fragments, root, selectionSet, (node) => {
    if (node.name.value === "node") a.topLevelNode = true;
    if (node.name.value === "nodes") a.topLevelNodes = true;
  });
  const addOnce = (list: string[], name: string) => (list.includes(name) ? undefined : list.push(name));

  // `level`: the nesting of the connection the selection is in (-1: none yet; 0: the top-level connection).
  const walk = (parent: GraphQLCompositeType, set: SelectionSetNode, level: number, inList: boolean) => {
    forEachField(schema, fragments, parent, set, (node, field) => {
      const type = getNamedType(field.type);
      if (isConnectionType(type)) {
        const nesting = level + 1;
        a.connections++;
        a.deepestNesting = Math.max(a.deepestNesting, nesting);
        if (inList) a.connectionInList = true;
        const { edgesNodes, nodes } = connectionNodeSelections(schema, fragments, type, node);
        if (nodes.length > 0 || edgesNodes.length === 0) addOnce(a.withoutEdgesNode, node.name.value);
        for (const selection of [...edgesNodes, ...nodes]) {
          if (containsConnection(schema, fragments, selection.type, selection.set) && !selectsId(schema, fragments, selection.type, selection.set)) {
            addOnce(a.parentsWithoutId, node.name.value);
          }
          walk(selection.type, selection.set, nesting, false);
        }
        return;
      }
      if (node.selectionSet && isCompositeType(type)) walk(type, node.selectionSet, level, inList || isList(field.type));
    });
  };
  walk(root, selectionSet, -1, false);

  const errors: BulkOperationUserError[] = [];
  if (a.topLevelNode) errors.push(invalid("Bulk queries cannot contain a top level `node` field."));
  if (a.topLevelNodes) errors.push(invalid("Bulk queries cannot contain a top level `nodes` field."));
  if (a.connections > MAX_BULK_QUERY_CONNECTIONS) errors.push(invalid(`Bulk queries cannot contain more than ${MAX_BULK_QUERY_CONNECTIONS} connections.`));
  if (a.deepestNesting > MAX_BULK_QUERY_NESTING) {
    errors.push(invalid(`Bulk queries cannot contain connections with a nesting depth greater than ${MAX_BULK_QUERY_NESTING}.`));
  }
  if (a.withoutEdgesNode.length > 0) {
    errors.push(
      invalid(
        `All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: '${a.withoutEdgesNode[0]} { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: ${a.withoutEdgesNode.map((n) => `'${n}'`).join(", ")}.`,
      ),
    );
  }
  if (a.parentsWithoutId.length > 0) {
    errors.push(
      invalid(
        `The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': ${a.parentsWithoutId.join(", ")}.`,
      ),
    );
  }
  if (a.connectionInList) errors.push(invalid("Queries that contain a connection field within a list field are not currently supported."));
  if (a.connections === 0) errors.push(invalid("Bulk queries must contain at least one connection."));
  return errors;
}

interface NodeSelection {
  type: GraphQLCompositeType;
  set: SelectionSetNode;
}

/** The node selections of a connection field: through `edges { node }`, and through `nodes`. */
function connectionNodeSelections(
  schema: GraphQLSchema,
  fragments: Fragments,
  connection: GraphQLCompositeType,
  field: FieldNode,
): { edgesNodes: NodeSelection[]; nodes: NodeSelection[] } {
  const edgesNodes: NodeSelection[] = [];
  const nodes: NodeSelection[] = [];
  if (!field.selectionSet) return { edgesNodes, nodes };
  forEachField(schema, fragments, connection, field.selectionSet, (child, childField) => {
    const childType = getNamedType(childField.type);
    if (!child.selectionSet || !isCompositeType(childType)) return;
    if (child.name.value === "nodes") nodes.push({ type: childType, set: child.selectionSet });
    if (child.name.value === "edges") {
      forEachField(schema, fragments, childType, child.selectionSet, (edgeChild, edgeField) => {
        const nodeType = getNamedType(edgeField.type);
        if (edgeChild.name.value === "node" && edgeChild.selectionSet && isCompositeType(nodeType)) {
          edgesNodes.push({ type: nodeType, set: edgeChild.selectionSet });
        }
      });
    }
  });
  return { edgesNodes, nodes };
}

function containsConnection(schema: GraphQLSchema, fragments: Fragments, parent: GraphQLCompositeType, set: SelectionSetNode): boolean {
  let found = false;
  forEachField(schema, fragments, parent, set, (node, field) => {
    const type = getNamedType(field.type);
    if (isConnectionType(type)) found = true;
    else if (node.selectionSet && isCompositeType(type) && containsConnection(schema, fragments, type, node.selectionSet)) found = true;
  });
  return found;
}

function selectsId(schema: GraphQLSchema, fragments: Fragments, parent: GraphQLCompositeType, set: SelectionSetNode): boolean {
  let found = false;
  forEachField(schema, fragments, parent, set, (node, field) => {
    if (node.name.value === "id" && !node.alias && getNamedType(field.type).name === "ID") found = true;
  });
  return found;
}

// --- running it ----------------------------------------------------------------------------------------------------

/** The document without `first`, `last`, `after` and `before` on its connections: bulk queries export everything. */
function withoutPageSizes(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        if (!field || !isConnectionType(getNamedType(field.type)) || !node.arguments?.some((a) => PAGINATION_ARGUMENTS.has(a.name.value))) return undefined;
        return { ...node, arguments: node.arguments.filter((a) => !PAGINATION_ARGUMENTS.has(a.name.value)) };
      },
    }),
  );
}

function shapeOf(schema: GraphQLSchema, fragments: Fragments, parent: GraphQLCompositeType, set: SelectionSetNode, into: Shape = new Map()): Shape {
  forEachField(schema, fragments, parent, set, (node, field) => {
    const key = node.alias?.value ?? node.name.value;
    const type = getNamedType(field.type);
    const existing = into.get(key);
    if (isConnectionType(type)) {
      const nodeShape = existing?.kind === "connection" ? existing.node : new Map();
      for (const selection of connectionNodeSelections(schema, fragments, type, node).edgesNodes) shapeOf(schema, fragments, selection.type, selection.set, nodeShape);
      into.set(key, { kind: "connection", node: nodeShape });
    } else if (node.selectionSet && isCompositeType(type)) {
      const objectShape = existing?.kind === "object" ? existing.shape : new Map();
      into.set(key, { kind: "object", shape: shapeOf(schema, fragments, type, node.selectionSet, objectShape) });
    } else {
      into.set(key, { kind: "leaf" });
    }
  });
  return into;
}

export interface BulkQueryOutput {
  /** The JSONL lines, each ending with "\n", in file order. */
  lines: string[];
  /** Whether each line is a node of a top-level connection. */
  isRoot: boolean[];
}

/**
 * Writes the result of the prepared query as Shopify's JSONL. Grouped: each node's nested nodes follow it directly.
 * Not grouped (Shopify's default since 2026-01): every line still comes after its parent, but the nested nodes of
 * all parents come after all of those parents.
 */
export function toJsonl(prepared: PreparedBulkQuery, data: Record<string, unknown>, groupObjects: boolean): BulkQueryOutput {
  const grouped: { line: string; level: number }[] = [];
  const emit = (value: Record<string, unknown>, shape: Shape, parentId: string | null, level: number) => {
    const nested: { shape: Shape; connection: Record<string, unknown> }[] = [];
    const object = inline(value, shape, nested);
    if (parentId !== null) object.__parentId = parentId;
    grouped.push({ line: jsonlLine(object), level });
    for (const { shape: nodeShape, connection } of nested) {
      for (const node of connectionNodes(connection)) emit(node, nodeShape, String(value.id), level + 1);
    }
  };
  for (const [key, value] of Object.entries(data)) {
    const field = prepared.shape.get(key);
    if (field?.kind !== "connection" || !value) continue;
    for (const node of connectionNodes(value as Record<string, unknown>)) emit(node, field.node, null, 0);
  }
  const ordered = groupObjects ? grouped : [...grouped].sort((a, b) => a.level - b.level);
  return { lines: ordered.map((entry) => entry.line), isRoot: ordered.map((entry) => entry.level === 0) };
}

/** A node's object without its connections (collected in `nested`); plain objects and lists stay inline. */
function inline(value: Record<string, unknown>, shape: Shape, nested: { shape: Shape; connection: Record<string, unknown> }[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const field = shape.get(key);
    if (field?.kind === "connection") {
      if (child) nested.push({ shape: field.node, connection: child as Record<string, unknown> });
    } else if (field?.kind === "object" && child !== null && typeof child === "object") {
      out[key] = Array.isArray(child)
        ? child.map((item) => (item && typeof item === "object" ? inline(item as Record<string, unknown>, field.shape, nested) : item))
        : inline(child as Record<string, unknown>, field.shape, nested);
    } else {
      out[key] = child;
    }
  }
  return out;
}

function connectionNodes(connection: Record<string, unknown>): Record<string, unknown>[] {
  const edges = (connection.edges ?? []) as { node?: Record<string, unknown> | null }[];
  return edges.map((edge) => edge.node).filter((node): node is Record<string, unknown> => !!node);
}

/** One JSONL line as Shopify writes it: "/" escaped as "\/", U+2028/U+2029 escaped, "\n" at the end. */
export function jsonlLine(object: Record<string, unknown>): string {
  return `${JSON.stringify(object).replace(/\//g, "\\/").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029")}\n`;
}

// --- helpers -------------------------------------------------------------------------------------------------------

type Fragments = Record<string, FragmentDefinitionNode>;

function fragmentsOf(document: DocumentNode): Fragments {
  return Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
}

/** Calls `visit` for each field selected on `parent`, through inline fragments and fragment spreads. */
function forEachField(
  schema: GraphQLSchema,
  fragments: Fragments,
  parent: GraphQLCompositeType,
  set: SelectionSetNode,
  visitField: (node: FieldNode, field: GraphQLField<unknown, unknown>) => void,
): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === "__typename") continue;
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
      if (field) visitField(selection, field);
      continue;
    }
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
    if (!fragment) continue;
    const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
    if (condition && isCompositeType(condition)) forEachField(schema, fragments, condition, fragment.selectionSet, visitField);
  }
}

function isConnectionType(type: GraphQLNamedType): type is GraphQLCompositeType {
  return isObjectType(type) && type.name.endsWith("Connection");
}

function isList(type: GraphQLType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

