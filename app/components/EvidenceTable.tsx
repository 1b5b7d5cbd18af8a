import { Badge, IndexTable, Text } from "@shopify/polaris";
import { signalLabel } from "./attribution-labels";
import { WrapCell } from "./WrapCell";

export interface EvidenceRow {
  signal: string;
  source: string;
  value: string;
  /** Already in the shop's timezone. */
  occurredAtText: string | null;
  creatorName: string | null;
  matched: boolean;
  decisive: boolean;
  note: string;
}

const COUNTED: Record<"decisive" | "matched" | "ignored", { label: string; tone?: "success" | "info" }> = {
  decisive: { label: "Decisive", tone: "success" },
  matched: { label: "Matched", tone: "info" },
  ignored: { label: "Ignored" },
};

/**
 * Every signal the app considered for an order: where it was found, what it said, which creator it points at and
 * whether it counted. The decisive one comes first (the evidence is stored that way).
 */
export function EvidenceTable({ evidence }: { evidence: readonly EvidenceRow[] }) {
  if (evidence.length === 0) {
    return (
      <Text as="p" tone="subdued">
        The order carries no signal about a creator: no creator code, link, UTM parameter, cart attribute, referring
        site, customer journey or survey answer.
      </Text>
    );
  }
  return (
    <IndexTable
      resourceName={{ singular: "signal", plural: "signals" }}
      itemCount={evidence.length}
      selectable={false}
      headings={[
        { title: "Signal" },
        { title: "Value" },
        { title: "Time" },
        { title: "Points at" },
        { title: "Counted?" },
        { title: "Note" },
      ]}
    >
      {evidence.map((entry, index) => {
        const counted = COUNTED[entry.decisive ? "decisive" : entry.matched ? "matched" : "ignored"];
        // Codes, parameters and URLs are shown as typed; a merchant's reason or an order name reads as text.
        const literal = entry.signal !== "override" && entry.signal !== "customer_lock";
        return (
          <IndexTable.Row id={`evidence-${index}`} key={index} position={index}>
            <IndexTable.Cell>
              {/* What kind of signal, and where exactly the app found it. */}
              <WrapCell minWidth="8rem" maxWidth="12rem">
                <Text as="p" fontWeight={entry.decisive ? "semibold" : "regular"}>
                  {signalLabel(entry.signal)}
                </Text>
                {entry.source && entry.source.toLowerCase() !== signalLabel(entry.signal).toLowerCase() ? (
                  <Text as="p" variant="bodySm" tone="subdued">
                    {entry.source}
                  </Text>
                ) : null}
              </WrapCell>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <WrapCell minWidth="6rem" maxWidth="16rem">
                {entry.value ? literal ? <code>{entry.value}</code> : entry.value : "—"}
              </WrapCell>
            </IndexTable.Cell>
            <IndexTable.Cell>{entry.occurredAtText ?? "—"}</IndexTable.Cell>
            <IndexTable.Cell>{entry.creatorName ?? "—"}</IndexTable.Cell>
            <IndexTable.Cell>
              <Badge tone={counted.tone}>{counted.label}</Badge>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <WrapCell minWidth="10rem" maxWidth="22rem">
                <Text as="span" tone="subdued">
                  {entry.note}
                </Text>
              </WrapCell>
            </IndexTable.Cell>
          </IndexTable.Row>
        );
      })}
    </IndexTable>
  );
}
