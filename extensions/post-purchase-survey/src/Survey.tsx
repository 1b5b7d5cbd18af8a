import { useEffect, useMemo, useRef, useState } from "preact/hooks";

import { findOption, optionLabel, validateDraft, type DraftErrors, type Translate } from "./answer";
import { parseAnswer, SurveyClient, type AnswerBody, type SurveyAnswer, type SurveyConfig } from "./api";

/** The parts of the `shopify` global the survey uses; the same on the Thank you and Order status pages. */
export interface SurveyHost {
  translate: Translate;
  storage: {
    read(key: string): Promise<unknown>;
    write(key: string, data: unknown): Promise<void>;
  };
  sessionToken(): Promise<string>;
}

interface ShopifyApiSubset {
  i18n: { translate: Translate };
  storage: SurveyHost["storage"];
  sessionToken: { get(): Promise<string> };
}

export function hostFrom(api: ShopifyApiSubset): SurveyHost {
  return {
    translate: (key, options) => api.i18n.translate(key, options),
    storage: api.storage,
    sessionToken: () => api.sessionToken.get(),
  };
}

/** Extension storage key of an order's answer (storage is already scoped to the extension target). */
export const storageKey = (confirmationNumber: string) => `answer:${confirmationNumber}`;

type View =
  | { kind: "loading" }
  | { kind: "hidden" }
  | { kind: "load-failed"; retrying: boolean }
  | { kind: "form"; survey: SurveyConfig }
  | { kind: "answered"; answer: SurveyAnswer };

interface SurveyProps {
  /** null when the bundle has no app URL */
  endpoint: string | null;
  /** undefined while the host does not know it (or never will) */
  confirmationNumber: string | undefined;
  host: SurveyHost;
}

export function Survey({ endpoint, confirmationNumber, host }: SurveyProps) {
  const t = host.translate;
  const client = useMemo(() => (endpoint ? new SurveyClient(endpoint, host.sessionToken) : null), [endpoint, host]);
  const [view, setView] = useState<View>({ kind: "loading" });
  const [loads, setLoads] = useState(0);

  useEffect(() => {
    if (!client || !confirmationNumber) {
      if (!client) console.error("post-purchase-survey: bundled without APP_URL; not rendering");
      setView({ kind: "hidden" });
      return;
    }
    let active = true;
    void (async () => {
      // Answered before (this page was reloaded): show the thanks at once, without a request.
      const remembered = parseAnswer(await readSafely(host, storageKey(confirmationNumber)));
      if (!active) return;
      if (remembered) return setView({ kind: "answered", answer: remembered });

      const result = await client.load(confirmationNumber);
      if (!active) return;
      if (!result.ok) return setView(result.retryable ? { kind: "load-failed", retrying: false } : { kind: "hidden" });
      const { state } = result;
      if (state.survey === null) return setView({ kind: "hidden" }); // the merchant turned the survey off
      if (state.answer) {
        const answer = displayedAnswer(state.answer, state.survey, t);
        void writeSafely(host, storageKey(confirmationNumber), answer);
        return setView({ kind: "answered", answer });
      }
      setView({ kind: "form", survey: state.survey });
    })();
    return () => {
      active = false;
    };
    // `loads` re-runs the effect when the shopper asks to try again
  }, [client, confirmationNumber, host, loads]);

  switch (view.kind) {
    case "loading":
    case "hidden":
      return null;
    case "load-failed":
      return (
        <s-section heading={t("survey.heading")}>
          <s-stack gap="base">
            <s-text>{t("errors.loadFailed")}</s-text>
            <s-button
              loading={view.retrying}
              onClick={() => {
                setView({ kind: "load-failed", retrying: true });
                setLoads((n) => n + 1);
              }}
            >
              {t("survey.tryAgain")}
            </s-button>
          </s-stack>
        </s-section>
      );
    case "answered":
      return <Thanks answer={view.answer} t={t} />;
    case "form":
      return (
        <SurveyForm
          survey={view.survey}
          confirmationNumber={confirmationNumber!}
          client={client!}
          t={t}
          onAnswered={(answer) => {
            const shown = displayedAnswer(answer, view.survey, t);
            void writeSafely(host, storageKey(confirmationNumber!), shown);
            setView({ kind: "answered", answer: shown });
          }}
        />
      );
  }
}

function Thanks({ answer, t }: { answer: SurveyAnswer; t: Translate }) {
  return (
    <s-section heading={t("thanks.heading")}>
      {answer.optionLabel ? <s-text>{t("thanks.answer", { answer: answer.optionLabel })}</s-text> : null}
    </s-section>
  );
}

type SendFailure = { kind: "unavailable"; body: AnswerBody } | { kind: "rejected" };

interface SurveyFormProps {
  survey: SurveyConfig;
  confirmationNumber: string;
  client: SurveyClient;
  t: Translate;
  onAnswered: (answer: SurveyAnswer) => void;
}

function SurveyForm({ survey, confirmationNumber, client, t, onAnswered }: SurveyFormProps) {
  const [optionKey, setOptionKey] = useState<string | null>(null);
  const [otherText, setOtherText] = useState("");
  const [errors, setErrors] = useState<DraftErrors>({});
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<SendFailure | null>(null);
  const mounted = useRef(true);
  const inFlight = useRef(false);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  const selected = findOption(survey, optionKey);
  const question = survey.question ?? t("survey.defaultQuestion");

  async function send(body: AnswerBody) {
    if (inFlight.current) return;
    inFlight.current = true;
    setSending(true);
    setFailure(null);
    const result = await client.submit(body);
    inFlight.current = false;
    if (!mounted.current) return;
    setSending(false);
    if (result.ok) return onAnswered(result.answer);
    if (result.reason === "unavailable") return setFailure({ kind: "unavailable", body });
    if (result.field === "optionKey") return setErrors({ option: t("errors.optionUnavailable") });
    if (result.field === "otherText") return setErrors({ otherText: t("errors.otherInvalid") });
    setFailure({ kind: "rejected" });
  }

  function submit() {
    const checked = validateDraft({ optionKey, otherText }, survey, confirmationNumber, t);
    if ("errors" in checked) return setErrors(checked.errors);
    setErrors({});
    void send(checked.body);
  }

  const onOtherText = (event: Event) => {
    setOtherText((event.currentTarget as unknown as { value?: string }).value ?? "");
    setErrors(({ option }) => ({ option }));
    setFailure(null); // a changed answer goes out with "Send answer", not "Try again"
  };

  return (
    <s-section heading={t("survey.heading")}>
      <s-stack gap="base">
        <s-choice-list
          name="survey-answer"
          label={question}
          values={optionKey ? [optionKey] : []}
          error={errors.option}
          disabled={sending}
          onChange={(event) => {
            const values = (event.currentTarget as unknown as { values?: string[] }).values ?? [];
            setOptionKey(values[0] ?? null);
            setErrors({});
            setFailure(null);
          }}
        >
          {survey.options.map((option) => (
            <s-choice key={option.key} value={option.key}>
              {optionLabel(option, t)}
            </s-choice>
          ))}
        </s-choice-list>
        {selected?.kind === "OTHER" ? (
          <s-text-field
            name="survey-other"
            label={t("survey.otherField")}
            value={otherText}
            maxLength={survey.otherMaxLength}
            required
            error={errors.otherText}
            disabled={sending}
            onInput={onOtherText}
            onChange={onOtherText}
          />
        ) : null}
        {failure ? (
          <s-banner tone="critical" heading={t("errors.sendFailedHeading")}>
            <s-text>{failure.kind === "unavailable" ? t("errors.sendFailed") : t("errors.rejected")}</s-text>
          </s-banner>
        ) : null}
        {failure?.kind === "unavailable" ? (
          <s-button variant="primary" loading={sending} onClick={() => void send(failure.body)}>
            {t("survey.tryAgain")}
          </s-button>
        ) : (
          <s-button variant="primary" loading={sending} onClick={submit}>
            {t("survey.submit")}
          </s-button>
        )}
      </s-stack>
    </s-section>
  );
}

/** Labels in the shopper's language where the option is known; the server's label otherwise. */
function displayedAnswer(answer: SurveyAnswer, survey: SurveyConfig, t: Translate): SurveyAnswer {
  const option = findOption(survey, answer.optionKey);
  return option ? { optionKey: answer.optionKey, optionLabel: optionLabel(option, t) } : answer;
}

async function readSafely(host: SurveyHost, key: string): Promise<unknown> {
  try {
    return await host.storage.read(key);
  } catch {
    return null;
  }
}

async function writeSafely(host: SurveyHost, key: string, value: SurveyAnswer): Promise<void> {
  try {
    await host.storage.write(key, value);
  } catch {
    // storage is a convenience: the server still knows the answer
  }
}
