import { useState } from "react";
import { Form, useNavigation } from "@remix-run/react";
import { Banner, Box, Button, Card, InlineStack, TextField } from "@shopify/polaris";

// Parameters the date form owns; every other one (sorting, and Shopify's embedded parameters) is carried along.
const RANGE_PARAMS = new Set(["from", "to"]);

/**
 * From and To (calendar days, inclusive) for a report page, submitted as GET parameters of `path`. Remount it when
 * the loader's range changes (key on the range), so the fields show the range on screen after back/forward.
 */
export function DateRangeForm({
  range,
  carriedParams,
  path,
}: {
  range: { from: string; to: string };
  carriedParams: URLSearchParams;
  /** The page's pathname, to show the Apply button loading while that page reloads. */
  path: string;
}) {
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const navigation = useNavigation();
  const applying = navigation.state === "loading" && navigation.location.pathname === path;

  return (
    <Form method="get" noValidate>
      {[...carriedParams.entries()]
        .filter(([name]) => !RANGE_PARAMS.has(name))
        .map(([name, value]) => (
          <input key={`${name}=${value}`} type="hidden" name={name} value={value} />
        ))}
      <InlineStack gap="300" blockAlign="end" wrap>
        <Box minWidth="160px">
          <TextField label="From" type="date" name="from" value={from} onChange={setFrom} autoComplete="off" />
        </Box>
        <Box minWidth="160px">
          <TextField label="To" type="date" name="to" value={to} onChange={setTo} autoComplete="off" />
        </Box>
        <Button submit loading={applying}>
          Apply
        </Button>
      </InlineStack>
    </Form>
  );
}

/**
 * A report page's date range: why the range asked for cannot be shown, if it cannot, above the form to choose one.
 * The form remounts when the loader's range changes (back/forward), so its fields show the range on screen.
 */
export function DateRangeCard({
  range,
  error,
  carriedParams,
  path,
}: {
  range: { from: string; to: string };
  error: string | null;
  carriedParams: URLSearchParams;
  path: string;
}) {
  return (
    <>
      {error ? (
        <Banner tone="critical" title="This date range cannot be shown">
          <p>{error}</p>
        </Banner>
      ) : null}
      <Card>
        <DateRangeForm key={`${range.from}|${range.to}`} range={range} carriedParams={carriedParams} path={path} />
      </Card>
    </>
  );
}
