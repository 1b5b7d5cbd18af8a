import { useEffect, useMemo, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  useActionData,
  useLoaderData,
  useNavigation,
  useRouteError,
} from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  FormLayout,
  InlineError,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { SettingsSaveBanners } from "~/components/SettingsSaveBanners";
import { surveyOptions, type SurveyCreator } from "~/domain/survey/options";
import {
  DEFAULT_OTHER_LABEL,
  DEFAULT_SURVEY_QUESTION,
  SURVEY_LIMITS,
  type SurveySettingsFieldErrors,
  type SurveySettingsFormValues,
} from "~/domain/survey/settings";
import { getSurveySettingsPage, saveSurveySettings, surveySettingsFormInput } from "~/models/survey.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  return getSurveySettingsPage(shop.id);
};

type ActionData = { saved: true } | { saved: false; fieldErrors: SurveySettingsFieldErrors };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const result = await saveSurveySettings(shop.id, surveySettingsFormInput(await readAdminForm(request)));
  if (!result.ok) return data<ActionData>({ saved: false, fieldErrors: result.fieldErrors }, { status: 400 });
  return data<ActionData>({ saved: true });
};

/** Creators listed at once in the chooser; the filter finds the others. */
const CHOOSER_LIMIT = 50;

export default function SurveySettingsPage() {
  const { formValues, creators } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const fieldErrors: SurveySettingsFieldErrors = result && !result.saved ? result.fieldErrors : {};

  useEffect(() => {
    if (result?.saved) window.shopify?.toast?.show("Survey saved");
  }, [result]);

  return (
    <Page
      title="Post-purchase survey"
      subtitle="“How did you hear about us?” after checkout"
      secondaryActions={[{ content: "Results", url: "/app/survey/results" }]}
    >
      <BlockStack gap="400">
        <SettingsSaveBanners saved={result?.saved ?? false} savedTitle="Survey saved" fieldErrors={fieldErrors}>
          <p>Shoppers see the new survey from their next order on.</p>
        </SettingsSaveBanners>
        <Banner tone="info">
          <p>
            Shoppers answer on the thank-you page, or later on their order status page. An answer naming a creator
            credits that creator when nothing ranked higher in your attribution rules does (the survey must be among the
            signals there).
          </p>
        </Banner>
        {/* Saved settings come back from the loader (new channels with their keys): the form starts again from them.
            A refused form is not reloaded, so what the merchant typed stays for them to fix. */}
        <SurveyForm
          key={JSON.stringify(formValues)}
          formValues={formValues}
          creators={creators}
          fieldErrors={fieldErrors}
        />
      </BlockStack>
    </Page>
  );
}

interface ChannelRow {
  /** Stable for the row's life in the form (React key); `key` is empty for a channel not saved yet. */
  id: number;
  key: string;
  label: string;
}

function SurveyForm({
  formValues,
  creators,
  fieldErrors,
}: {
  formValues: SurveySettingsFormValues;
  creators: SurveyCreator[];
  fieldErrors: SurveySettingsFieldErrors;
}) {
  const saving = useNavigation().state === "submitting";
  const [enabled, setEnabled] = useState(formValues.enabled);
  const [question, setQuestion] = useState(formValues.question);
  const [channels, setChannels] = useState<ChannelRow[]>(() =>
    formValues.channels.map((channel, id) => ({ id, ...channel })),
  );
  const [nextRowId, setNextRowId] = useState(formValues.channels.length);
  const [creatorSelection, setCreatorSelection] = useState(formValues.creatorSelection);
  const [creatorIds, setCreatorIds] = useState(formValues.creatorIds);
  const [includeOther, setIncludeOther] = useState(formValues.includeOther);
  const [otherLabel, setOtherLabel] = useState(formValues.otherLabel);
  const [randomize, setRandomize] = useState(formValues.randomize);

  const setChannelLabel = (id: number, label: string) =>
    setChannels((rows) => rows.map((row) => (row.id === id ? { ...row, label } : row)));
  const removeChannel = (id: number) => setChannels((rows) => rows.filter((row) => row.id !== id));
  const addChannel = () => {
    setChannels((rows) => [...rows, { id: nextRowId, key: "", label: "" }]);
    setNextRowId((id) => id + 1);
  };

  const preview = useMemo(
    () =>
      surveyOptions(
        {
          enabled: true,
          question: null,
          channels: channels
            .filter((row) => row.label.trim() !== "")
            .map((row) => ({ key: row.key || `new-${row.id}`, label: row.label.trim() })),
          creatorSelection,
          creatorIds,
          includeOther,
          otherLabel: otherLabel.trim() || null,
          randomize: false,
        },
        creators,
      ),
    [channels, creatorSelection, creatorIds, includeOther, otherLabel, creators],
  );

  return (
    <Form method="post" noValidate>
      <input type="hidden" name="enabled" value={enabled ? "true" : ""} />
      <input type="hidden" name="creatorSelection" value={creatorSelection} />
      {creatorIds.map((id) => (
        <input key={id} type="hidden" name="creatorIds" value={id} />
      ))}
      {channels.map((row) => (
        <input key={row.id} type="hidden" name="channelKey" value={row.key} />
      ))}
      <input type="hidden" name="includeOther" value={includeOther ? "true" : ""} />
      <input type="hidden" name="randomize" value={randomize ? "true" : ""} />
      <BlockStack gap="400">
        <Layout>
          <Layout.AnnotatedSection
            title="Survey"
            description="Add the “Post-purchase survey” block to your thank-you and order status pages in the checkout editor; it asks only while the survey is on."
          >
            <Card>
              <FormLayout>
                <Checkbox
                  label="Ask shoppers how they heard about you"
                  checked={enabled}
                  onChange={setEnabled}
                  error={fieldErrors.enabled}
                  helpText="Turned off, the block shows nothing and answers are no longer taken."
                />
                <TextField
                  label="Question"
                  name="question"
                  value={question}
                  onChange={setQuestion}
                  error={fieldErrors.question}
                  placeholder={DEFAULT_SURVEY_QUESTION}
                  maxLength={SURVEY_LIMITS.questionLength}
                  showCharacterCount
                  helpText="Leave empty to ask “How did you hear about us?” in each shopper's own language."
                  autoComplete="off"
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection
            title="Creators"
            description={`Shoppers can name the creator who sent them. At most ${SURVEY_LIMITS.creators} creators are listed, so the list stays short on a phone.`}
          >
            <Card>
              <CreatorChooser
                creators={creators}
                selection={creatorSelection}
                onSelectionChange={setCreatorSelection}
                chosen={creatorIds}
                onChosenChange={setCreatorIds}
                error={fieldErrors.creatorIds}
              />
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection
            title="Channels"
            description="Places shoppers may have heard of you, other than a creator. Renaming a channel keeps its past answers."
          >
            <Card>
              <BlockStack gap="300">
                {channels.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No channels: shoppers choose among your creators{includeOther ? " and “Other”" : ""}.
                  </Text>
                ) : null}
                {channels.map((row, index) => (
                  <InlineStack key={row.id} gap="200" blockAlign="center" wrap={false}>
                    <Box width="100%">
                      <TextField
                        label={`Channel ${index + 1}`}
                        labelHidden
                        name="channelLabel"
                        value={row.label}
                        onChange={(label) => setChannelLabel(row.id, label)}
                        placeholder="Like Instagram or Newsletter"
                        maxLength={SURVEY_LIMITS.channelLabelLength}
                        autoComplete="off"
                      />
                    </Box>
                    <Button
                      accessibilityLabel={`Remove channel ${row.label || index + 1}`}
                      onClick={() => removeChannel(row.id)}
                    >
                      Remove
                    </Button>
                  </InlineStack>
                ))}
                {fieldErrors.channels ? <InlineError message={fieldErrors.channels} fieldID="channelLabel" /> : null}
                <InlineStack>
                  <Button onClick={addChannel} disabled={channels.length >= SURVEY_LIMITS.channels}>
                    Add channel
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection
            title="Other and order"
            description="“Other” lets shoppers type where they heard of you. Shuffling the answers keeps the first one from being chosen more often."
          >
            <Card>
              <FormLayout>
                <Checkbox
                  label="Include “Other”, with a text box"
                  checked={includeOther}
                  onChange={setIncludeOther}
                  error={fieldErrors.includeOther}
                  helpText={`Shoppers type up to ${SURVEY_LIMITS.otherTextLength} characters. It is always the last answer.`}
                />
                <TextField
                  label="“Other” label"
                  name="otherLabel"
                  value={otherLabel}
                  onChange={setOtherLabel}
                  error={fieldErrors.otherLabel}
                  placeholder={DEFAULT_OTHER_LABEL}
                  maxLength={SURVEY_LIMITS.otherLabelLength}
                  disabled={!includeOther}
                  helpText="Leave empty to show “Other” in each shopper's own language."
                  autoComplete="off"
                />
                <Checkbox
                  label="Shuffle the answers for every shopper"
                  checked={randomize}
                  onChange={setRandomize}
                  error={fieldErrors.randomize}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection
            title="Preview"
            description={randomize ? "The answers, before shuffling." : "The answers, in the order shoppers see them."}
          >
            <Card>
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  {question.trim() || DEFAULT_SURVEY_QUESTION}
                </Text>
                {preview.length === 0 ? (
                  <Text as="p" tone="caution">
                    Shoppers would have nothing to choose.
                  </Text>
                ) : (
                  <ul aria-label="Survey preview" style={{ margin: 0, paddingInlineStart: "1.25rem" }}>
                    {preview.map((option) => (
                      <li key={option.key}>
                        <Text as="span">{option.label ?? DEFAULT_OTHER_LABEL}</Text>{" "}
                        <Text as="span" tone="subdued">
                          {option.kind === "CREATOR" ? "creator" : option.kind === "CHANNEL" ? "channel" : "free text"}
                        </Text>
                      </li>
                    ))}
                  </ul>
                )}
                {!enabled ? (
                  <Text as="p" tone="caution">
                    The survey is off: shoppers see nothing.
                  </Text>
                ) : null}
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
        </Layout>

        <InlineStack align="end">
          <Button submit variant="primary" loading={saving}>
            Save
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

function CreatorChooser({
  creators,
  selection,
  onSelectionChange,
  chosen,
  onChosenChange,
  error,
}: {
  creators: SurveyCreator[];
  selection: "ALL" | "CHOSEN";
  onSelectionChange: (selection: "ALL" | "CHOSEN") => void;
  chosen: string[];
  onChosenChange: (ids: string[]) => void;
  error: string | undefined;
}) {
  const [filter, setFilter] = useState("");
  if (creators.length === 0) {
    return (
      <BlockStack gap="200">
        <Text as="p">You have no creators yet, so shoppers choose among your channels.</Text>
        <InlineStack>
          <Button url="/app/creators/new">Add a creator</Button>
        </InlineStack>
      </BlockStack>
    );
  }
  const needle = filter.trim().toLowerCase();
  const matching = creators.filter((creator) => needle === "" || creator.name.toLowerCase().includes(needle));
  const listed = matching.slice(0, CHOOSER_LIMIT);
  return (
    <BlockStack gap="300">
      <ChoiceList
        title="Creators in the survey"
        titleHidden
        choices={[
          {
            value: "ALL",
            label: "All creators",
            helpText:
              creators.length > SURVEY_LIMITS.creators
                ? `You have ${creators.length}: the first ${SURVEY_LIMITS.creators} by name are listed. Choose the creators instead to pick which.`
                : "Creators you add later appear too.",
          },
          { value: "CHOSEN", label: "Only the creators I choose" },
        ]}
        selected={[selection]}
        onChange={([value]) => onSelectionChange(value === "CHOSEN" ? "CHOSEN" : "ALL")}
        error={selection === "ALL" ? error : undefined}
      />
      {selection === "CHOSEN" ? (
        <BlockStack gap="200">
          {creators.length > 10 ? (
            <TextField
              label="Find a creator"
              value={filter}
              onChange={setFilter}
              autoComplete="off"
              clearButton
              onClearButtonClick={() => setFilter("")}
            />
          ) : null}
          <ChoiceList
            title={`Creators shoppers can name (${chosen.length} of at most ${SURVEY_LIMITS.creators})`}
            allowMultiple
            choices={listed.map((creator) => ({ value: creator.id, label: creator.name }))}
            selected={chosen.filter((id) => listed.some((creator) => creator.id === id))}
            onChange={(selected) => {
              const listedIds = new Set(listed.map((creator) => creator.id));
              // Creators the filter hides stay as they were.
              onChosenChange([...chosen.filter((id) => !listedIds.has(id)), ...selected]);
            }}
            error={error}
          />
          {matching.length > listed.length ? (
            <Text as="p" tone="subdued">
              {matching.length - listed.length} more: type part of a name to find them.
            </Text>
          ) : null}
          {matching.length === 0 ? (
            <Text as="p" tone="subdued">
              No creator matches “{filter}”.
            </Text>
          ) : null}
        </BlockStack>
      ) : null}
    </BlockStack>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  // Shopify's own auth responses go where the app layout sends them.
  if (isRouteErrorResponse(error)) return boundary.error(error);
  return (
    <Page title="Post-purchase survey">
      <Banner tone="critical" title="The survey settings could not be loaded">
        <p>Reload the page in a moment. If it keeps happening, contact support with the time it happened.</p>
      </Banner>
    </Page>
  );
}
