import type { ContractTerms } from "./contract-terms";

/** Whether an order's change can change what the creator's period owes as a whole (beyond the order itself). */
export function periodDependsOnOrders(terms: ContractTerms): boolean {
  return (
    terms.capPerPeriodMinor !== null ||
    terms.drawPerPeriodMinor !== null ||
    terms.components.some((component) => component.kind === "TIERED_REVENUE_SHARE" || component.kind === "PERFORMANCE_BONUS")
  );
}

/** Whether the period owes something even without orders: retainers, base fees, draws. */
export function periodPaysWithoutOrders(terms: ContractTerms): boolean {
  return (
    terms.drawPerPeriodMinor !== null ||
    terms.components.some((component) => component.kind === "RETAINER" || component.kind === "BASE_FEE")
  );
}
