import { useEffect, useRef, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Autocomplete, Text } from "@shopify/polaris";
import type { CatalogSearchJson } from "~/routes/app.catalog-search";
import type { CatalogMatch } from "~/services/catalog-search.server";

/** Waits this long after the last keystroke before asking Shopify. */
const SEARCH_DEBOUNCE_MS = 250;

interface CatalogPickerProps {
  type: CatalogMatch["type"];
  label: string;
  /** The product, collection or variant chosen so far; null before one is picked (or after its name was edited). */
  chosen: { gid: string; title: string } | null;
  /** The whole match is given (a variant's cost per item with it); null when the merchant edits the name away. */
  onChoose: (match: CatalogMatch | null) => void;
  error?: string;
  helpText?: string;
}

const NOUNS: Record<CatalogMatch["type"], string> = { PRODUCT: "products", COLLECTION: "collections", VARIANT: "products or variants" };

/**
 * A product, collection or variant, found by typing part of its title (variants: or SKU): the shop's catalog is searched through
 * /app/catalog-search (Shopify's Admin API) as the merchant types, and picking a match chooses it.
 */
export function CatalogPicker({ type, label, chosen, onChoose, error, helpText }: CatalogPickerProps) {
  const fetcher = useFetcher<CatalogSearchJson>();
  const [text, setText] = useState(chosen?.title ?? "");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const searchedFor = useRef<string | null>(null);

  const search = (query: string) => {
    searchedFor.current = query;
    fetcher.load(`/app/catalog-search?${new URLSearchParams({ type, q: query })}`);
  };
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const matches = fetcher.data?.matches ?? [];
  const options = matches.map((match) => ({
    value: match.gid,
    label: match.detail ? `${match.title} (${match.detail})` : match.title,
  }));

  const onType = (value: string) => {
    setText(value);
    if (chosen && value !== chosen.title) onChoose(null);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => search(value.trim()), SEARCH_DEBOUNCE_MS);
  };
  const onFocus = () => {
    if (searchedFor.current === null) search(chosen ? "" : text.trim());
  };
  const onSelect = (selected: string[]) => {
    const match = matches.find((m) => m.gid === selected[0]);
    if (!match) return;
    setText(match.title);
    onChoose(match);
  };

  const noun = NOUNS[type];
  const emptyState =
    fetcher.state === "idle" && fetcher.data ? (
      <div style={{ padding: "var(--p-space-300)" }}>
        <Text as="p" tone="subdued">
          {fetcher.data.error ?? (type === "VARIANT" ? "No product, variant or SKU starts with that" : `No ${noun} have a title starting with that`)}
        </Text>
      </div>
    ) : null;

  return (
    <Autocomplete
      options={options}
      selected={chosen ? [chosen.gid] : []}
      onSelect={onSelect}
      loading={fetcher.state === "loading"}
      emptyState={emptyState}
      textField={
        <Autocomplete.TextField
          label={label}
          value={text}
          onChange={onType}
          onFocus={onFocus}
          placeholder={`Search ${noun}`}
          autoComplete="off"
          error={error}
          helpText={helpText}
        />
      }
    />
  );
}
