import { useEffect, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Autocomplete,
  Banner,
  BlockStack,
  Button,
  Card,
  FormLayout,
  InlineStack,
  Page,
  Select,
  Tag,
  Text,
  TextField,
} from "@shopify/polaris";
import { DESIGN_LABELS, type ExperimentDesign } from "~/domain/experiments";
import {
  createExperiment,
  searchExperimentCreators,
  topShippingRegions,
  type CreatorOption,
  type ExperimentFieldErrors,
} from "~/models/experiment.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

/** Waits this long after the last keystroke before searching creators. */
const SEARCH_DEBOUNCE_MS = 250;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const query = new URL(request.url).searchParams.get("creatorQuery") ?? "";
  const [creatorMatches, topRegions] = await Promise.all([searchExperimentCreators(shop.id, query), topShippingRegions(shop)]);
  return { creatorMatches, topRegions };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const form = await readAdminForm(request);
  const text = (name: string) => String(form.get(name) ?? "");
  const creatorIds = form.getAll("creatorIds").map(String);
  const result = await createExperiment(shop, {
    name: text("name"),
    design: text("design"),
    creatorIds,
    exposedRegions: text("exposedRegions"),
    controlRegions: text("controlRegions"),
    startsOn: text("startsOn"),
    endsOn: text("endsOn"),
    baselineStartsOn: text("baselineStartsOn"),
    baselineEndsOn: text("baselineEndsOn"),
    notes: text("notes"),
  });
  if (result.ok) return redirect(`/app/experiments/${result.experimentId}`);
  return data({ fieldErrors: result.fieldErrors }, { status: 400 });
};

const FIELD_LABELS: Record<keyof ExperimentFieldErrors, string> = {
  name: "Name",
  design: "Design",
  creatorIds: "Creators",
  exposedRegions: "Exposed regions",
  controlRegions: "Control regions",
  startsOn: "Test starts",
  endsOn: "Test ends",
  baselineStartsOn: "Baseline starts",
  baselineEndsOn: "Baseline ends",
  notes: "Notes",
};

export default function NewExperimentPage() {
  const { creatorMatches, topRegions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: ExperimentFieldErrors = actionData?.fieldErrors ?? {};
  const navigation = useNavigation();
  const saving = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";
  const [design, setDesign] = useState<ExperimentDesign>("GEO_SPLIT");
  const [values, setValues] = useState({ name: "", exposedRegions: "", controlRegions: "", startsOn: "", endsOn: "", baselineStartsOn: "", baselineEndsOn: "", notes: "" });
  const set = (field: keyof typeof values) => (value: string) => setValues((current) => ({ ...current, [field]: value }));
  const [creators, setCreators] = useState<CreatorOption[]>([]);
  const errorEntries = Object.entries(errors) as [keyof ExperimentFieldErrors, string][];
  const geo = design === "GEO_SPLIT";

  return (
    <Page title="New experiment" backAction={{ content: "Experiments", url: "/app/experiments" }} narrowWidth>
      <Form method="post">
        <BlockStack gap="400">
          {errorEntries.length > 0 ? (
            <Banner tone="critical" title="The experiment was not saved">
              <ul>
                {errorEntries.map(([field, message]) => (
                  <li key={field}>
                    {FIELD_LABELS[field]}: {message}
                  </li>
                ))}
              </ul>
            </Banner>
          ) : null}
          <Card>
            <FormLayout>
              <TextField label="Name" name="name" value={values.name} onChange={set("name")} autoComplete="off" error={errors.name} />
              <Select
                label="Design"
                name="design"
                options={[
                  { label: `${DESIGN_LABELS.GEO_SPLIT}: exposed regions against control regions`, value: "GEO_SPLIT" },
                  { label: `${DESIGN_LABELS.PERIOD_HOLDOUT}: weeks with the content against weeks without`, value: "PERIOD_HOLDOUT" },
                ]}
                value={design}
                onChange={(value) => setDesign(value as ExperimentDesign)}
                error={errors.design}
              />
              <CreatorPicker
                initialMatches={creatorMatches}
                chosen={creators}
                onChange={setCreators}
                error={errors.creatorIds}
              />
            </FormLayout>
          </Card>
          {geo ? (
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingSm">
                  Regions
                </Text>
                <FormLayout>
                  <TextField
                    label="Exposed regions"
                    name="exposedRegions"
                    value={values.exposedRegions}
                    onChange={set("exposedRegions")}
                    autoComplete="off"
                    placeholder="US-CA, US-WA"
                    helpText="Where the content ran: shipping regions as ISO codes, separated by commas. A country code (CA) takes all its regions."
                    error={errors.exposedRegions}
                  />
                  <TextField
                    label="Control regions"
                    name="controlRegions"
                    value={values.controlRegions}
                    onChange={set("controlRegions")}
                    autoComplete="off"
                    placeholder="US-NY, US-TX"
                    helpText="Comparable regions where it did not run. A region cannot be in both groups."
                    error={errors.controlRegions}
                  />
                </FormLayout>
                <Text as="p" tone="subdued">
                  {topRegions.length > 0
                    ? `Your orders ship most to ${topRegions.map((entry) => `${entry.region} (${entry.orders})`).join(", ")} — last 90 days.`
                    : "No shipped orders in the last 90 days yet: regions appear here as orders come in."}
                </Text>
              </BlockStack>
            </Card>
          ) : null}
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingSm">
                Windows
              </Text>
              <FormLayout>
                <FormLayout.Group>
                  <TextField label="Test starts" name="startsOn" type="date" value={values.startsOn} onChange={set("startsOn")} autoComplete="off" error={errors.startsOn} />
                  <TextField label="Test ends" name="endsOn" type="date" value={values.endsOn} onChange={set("endsOn")} autoComplete="off" error={errors.endsOn} />
                </FormLayout.Group>
                <FormLayout.Group>
                  <TextField
                    label={geo ? "Baseline starts" : "Holdout starts"}
                    name="baselineStartsOn"
                    type="date"
                    value={values.baselineStartsOn}
                    onChange={set("baselineStartsOn")}
                    autoComplete="off"
                    error={errors.baselineStartsOn}
                  />
                  <TextField
                    label={geo ? "Baseline ends" : "Holdout ends"}
                    name="baselineEndsOn"
                    type="date"
                    value={values.baselineEndsOn}
                    onChange={set("baselineEndsOn")}
                    autoComplete="off"
                    error={errors.baselineEndsOn}
                  />
                </FormLayout.Group>
              </FormLayout>
              <Text as="p" tone="subdued">
                {geo
                  ? "The baseline is a period before the test, with no content anywhere: both groups are compared over it and over the test."
                  : "The holdout is when the content was paused (before or after the test). Keep it next to the test and about as long."}{" "}
                Days are in the shop's timezone, at most 366 each.
              </Text>
            </BlockStack>
          </Card>
          <Card>
            <TextField label="Notes" name="notes" value={values.notes} onChange={set("notes")} multiline={3} autoComplete="off" error={errors.notes} />
          </Card>
          <InlineStack align="end">
            <Button submit variant="primary" loading={saving}>
              Create experiment
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Page>
  );
}

interface CreatorPickerProps {
  initialMatches: CreatorOption[];
  chosen: CreatorOption[];
  onChange: (creators: CreatorOption[]) => void;
  error?: string;
}

/**
 * Creators found by typing part of their name or handle: the shop may have thousands, so each search asks this
 * page's loader (?creatorQuery=) for a page of matches. Chosen creators are posted as `creatorIds`.
 */
function CreatorPicker({ initialMatches, chosen, onChange, error }: CreatorPickerProps) {
  const fetcher = useFetcher<typeof loader>();
  const [text, setText] = useState("");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const matches = fetcher.data?.creatorMatches ?? initialMatches;
  const known = new Map([...chosen, ...matches].map((creator) => [creator.id, creator]));

  const onType = (value: string) => {
    setText(value);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => fetcher.load(`/app/experiments/new?${new URLSearchParams({ creatorQuery: value.trim() })}`), SEARCH_DEBOUNCE_MS);
  };
  const onSelect = (selected: string[]) => onChange(selected.flatMap((id) => known.get(id) ?? []));

  return (
    <BlockStack gap="200">
      <Autocomplete
        allowMultiple
        options={matches.map((creator) => ({ value: creator.id, label: `${creator.name} (${creator.handle})` }))}
        selected={chosen.map((creator) => creator.id)}
        onSelect={onSelect}
        loading={fetcher.state === "loading"}
        emptyState={
          <div style={{ padding: "var(--p-space-300)" }}>
            <Text as="p" tone="subdued">
              No creator's name or handle contains that
            </Text>
          </div>
        }
        textField={
          <Autocomplete.TextField
            label="Creators"
            value={text}
            onChange={onType}
            placeholder="Search creators by name or handle"
            autoComplete="off"
            error={error}
            helpText="The creator tested, or every creator of the campaign."
          />
        }
      />
      {chosen.length > 0 ? (
        <InlineStack gap="200">
          {chosen.map((creator) => (
            <Tag key={creator.id} onRemove={() => onChange(chosen.filter((other) => other.id !== creator.id))}>
              {creator.name}
            </Tag>
          ))}
        </InlineStack>
      ) : null}
      {chosen.map((creator) => (
        <input key={creator.id} type="hidden" name="creatorIds" value={creator.id} />
      ))}
    </BlockStack>
  );
}
