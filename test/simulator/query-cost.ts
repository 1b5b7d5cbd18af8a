// Shopify's calculated query cost, simplified, and the leaky bucket it is charged to. Shopify's rules, as the
// simulator applies them: scalars and enums cost nothing, an object costs 1, a connection costs 2 plus its page
// size times the cost of one node, and a mutation costs 10. The requested cost uses the page sizes asked for;
// the actual cost counts the nodes returned.
import {
  GraphQLError,
  getNamedType,
  isCompositeType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** The most one query may request (Shopify rejects costlier queries before running them). */
export const SINGLE_QUERY_MAX_COST = 1000;
const MUTATION_COST = 10;

export interface CostedOperation {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function requestedQueryCost(op: CostedOperation): number {
  return rootCost(op, undefined);
}

/** The cost of what was returned: connections count the nodes they hold, nulls cost nothing. */
export function actualQueryCost(op: CostedOperation, data: Record<string, unknown> | null | undefined): number {
  return data ? rootCost(op, data) : 0;
}

/** Shopify refuses connections without a page size: "you must provide one of first or last". */
export function missingPageSizeErrors(op: CostedOperation): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const visit = (parent: GraphQLCompositeType, selectionSet: SelectionSetNode) => {
    forEachField(op, parent, selectionSet, (node, field) => {
      const type = getNamedType(field.type);
      if (isConnection(type) && pageSize(op, node, field) === null) {
        errors.push(new GraphQLError("you must provide one of first or last", { nodes: node }));
      }
      if (node.selectionSet && isCompositeType(type)) visit(type, node.selectionSet);
    });
  };
  visit(rootType(op), op.operation.selectionSet);
  return errors;
}

function rootCost(op: CostedOperation, data: Record<string, unknown> | undefined): number {
  const root = rootType(op);
  if (op.operation.operation === "mutation") {
    let total = 0;
    forEachField(op, root, op.operation.selectionSet, (node) => {
      if (data === undefined || data[responseKey(node)] != null) total += MUTATION_COST;
    });
    return total;
  }
  return selectionCost(op, root, op.operation.selectionSet, data);
}

function rootType(op: CostedOperation): GraphQLCompositeType {
  const type = op.schema.getRootType(op.operation.operation);
  if (!type) throw new Error(`The schema has no ${op.operation.operation} root`);
  return type;
}

/**
 * `data` is the object the selection was resolved on (actual cost), or undefined (requested cost). Fragments that
 * narrow an abstract type to one of its members are alternatives: only the costliest one counts.
 */
function selectionCost(op: CostedOperation, parent: GraphQLCompositeType, selectionSet: SelectionSetNode, data: unknown): number {
  let total = 0;
  const alternatives: number[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
      if (field) total += fieldCost(op, selection, field, data);
      continue;
    }
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : op.fragments[selection.name.value];
    if (!fragment) continue;
    const condition = fragment.typeCondition ? op.schema.getType(fragment.typeCondition.name.value) : parent;
    if (!condition || !isCompositeType(condition)) continue;
    const cost = selectionCost(op, condition, fragment.selectionSet, data);
    if (condition === parent) total += cost;
    else alternatives.push(cost);
  }
  return total + (alternatives.length > 0 ? Math.max(...alternatives) : 0);
}

function fieldCost(op: CostedOperation, node: FieldNode, field: GraphQLField<unknown, unknown>, data: unknown): number {
  const type = getNamedType(field.type);
  if (isLeafType(type) || !node.selectionSet || !isCompositeType(type)) return 0;
  const value = data === undefined ? undefined : (data as Record<string, unknown>)[responseKey(node)];
  if (data !== undefined && value == null) return 0;
  if (isConnection(type)) return 2 + connectionContentCost(op, type, node, field, value);
  if (isList(field.type)) {
    // A plain list has no page size to charge by: it costs as one object holding its costliest item.
    const items = value === undefined ? [undefined] : (value as unknown[]);
    return items.length > 0 ? 1 + Math.max(...items.map((item) => selectionCost(op, type, node.selectionSet!, item))) : 0;
  }
  return 1 + selectionCost(op, type, node.selectionSet, value);
}

function connectionContentCost(op: CostedOperation, connection: GraphQLCompositeType, node: FieldNode, field: GraphQLField<unknown, unknown>, value: unknown): number {
  let total = 0;
  const size = pageSize(op, node, field) ?? 0;
  forEachField(op, connection, node.selectionSet!, (child, childField) => {
    const type = getNamedType(childField.type);
    if (!child.selectionSet || !isCompositeType(type)) return;
    if (isList(childField.type)) {
      // edges and nodes: one item per node of the page. `nodes` items are the objects; `edges` hold them.
      const itemCost = (item: unknown) => (child.name.value === "nodes" ? 1 : 0) + selectionCost(op, type, child.selectionSet!, item);
      const items = value === undefined ? undefined : ((value as Record<string, unknown>)[responseKey(child)] as unknown[] | null);
      total += items === undefined ? size * itemCost(undefined) : (items ?? []).reduce((sum: number, item) => sum + itemCost(item), 0);
    } else {
      const childValue = value === undefined ? undefined : (value as Record<string, unknown>)[responseKey(child)];
      // pageInfo and the like are part of the connection's base cost.
      if (childValue !== null) total += selectionCost(op, type, child.selectionSet, childValue);
    }
  });
  return total;
}

function pageSize(op: CostedOperation, node: FieldNode, field: GraphQLField<unknown, unknown>): number | null {
  let size: number | null = null;
  for (const name of ["first", "last"]) {
    const argument = node.arguments?.find((arg) => arg.name.value === name);
    const definition = field.args.find((arg) => arg.name === name);
    if (!argument || !definition) continue;
    const value = valueFromAST(argument.value, definition.type, op.variables);
    if (typeof value === "number") size = Math.max(size ?? 0, value);
  }
  return size;
}

/** Calls `visit` for each field selected on `parent`, through inline fragments and fragment spreads. */
function forEachField(
  op: CostedOperation,
  parent: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  visit: (node: FieldNode, field: GraphQLField<unknown, unknown>) => void,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
      const field = parent.getFields()[selection.name.value];
      if (field) visit(selection, field);
      continue;
    }
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : op.fragments[selection.name.value];
    if (!fragment) continue;
    const condition = fragment.typeCondition ? op.schema.getType(fragment.typeCondition.name.value) : parent;
    if (condition && isCompositeType(condition)) forEachField(op, condition, fragment.selectionSet, visit);
  }
}

function isConnection(type: GraphQLType): boolean {
  return isObjectType(type) && type.name.endsWith("Connection");
}

function isList(type: GraphQLType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function responseKey(node: FieldNode): string {
  return node.alias?.value ?? node.name.value;
}

/** Shopify's leaky bucket: 2,000 points, refilled at 100 points a second. */
export class ThrottleBucket {
  readonly maximumAvailable = 2000;
  readonly restoreRate = 100;
  private available = this.maximumAvailable;
  private updatedAt = Date.now();

  currentlyAvailable(now = Date.now()): number {
    this.available = Math.min(this.maximumAvailable, this.available + ((now - this.updatedAt) / 1000) * this.restoreRate);
    this.updatedAt = now;
    return Math.floor(this.available);
  }

  spend(points: number): void {
    this.currentlyAvailable();
    this.available = Math.max(0, this.available - points);
  }

  status() {
    return { maximumAvailable: this.maximumAvailable, currentlyAvailable: this.currentlyAvailable(), restoreRate: this.restoreRate };
  }
}
