import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { useActionData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  DropZone,
  InlineStack,
  List,
  Page,
  Text,
} from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import { z } from "zod";
import { WrapCell } from "~/components/WrapCell";
import {
  CREATORS_CSV_COLUMNS,
  CREATORS_CSV_MAX_BYTES,
  CREATORS_CSV_MAX_ROWS,
  CREATORS_CSV_TOO_LARGE,
  creatorsCsvTemplate,
} from "~/domain/creators/creators-csv-columns";
import type { CreatorsCsvProblem } from "~/domain/creators/read-creators-csv";
import { FUNNEL_STAGE_LABELS, PLATFORM_LABELS } from "~/domain/metrics/segment-labels";
import { prisma } from "~/db.server";
import { importCreators, previewCreatorImport, type CreatorImportPreview, type PreviewCreator } from "~/services/import-creators.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

/*
 * Creators from a CSV, in two steps that each send the file: "preview" reads it and lists what it would create and
 * every row that stops it; "import" reads it again and creates them all in one transaction, or nothing, then returns
 * to the list. Bad files and rows answer 400 (413 past the size limit) with the reason; nothing is kept between steps.
 */

const TEMPLATE_FILENAME = "creators-import-template.csv";
// Built from the columns the import reads, so the template cannot drift from them; a data: address needs no request
// (a download link in the admin's frame would go without the session token).
const TEMPLATE_HREF = `data:text/csv;charset=utf-8,${encodeURIComponent(creatorsCsvTemplate())}`;

type ActionAnswer = { reason: string | null; preview: CreatorImportPreview | null };

const intentSchema = z.enum(["preview", "import"]);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticateShop(request);
  return null;
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const upload = await readUpload(request);
  if (!upload.ok) return data<ActionAnswer>({ reason: upload.reason, preview: null }, { status: upload.status });

  if (upload.intent === "preview") {
    const checked = await previewCreatorImport(prisma, shop.id, upload.file);
    return checked.ok
      ? data<ActionAnswer>({ reason: null, preview: checked.preview })
      : data<ActionAnswer>({ reason: checked.reason, preview: null }, { status: 400 });
  }
  const result = await importCreators(prisma, shop.id, upload.file);
  if (result.ok) return redirect(`/app/creators?imported=${result.imported}`);
  return data<ActionAnswer>({ reason: result.reason, preview: result.preview }, { status: 400 });
};

type Upload = { ok: true; intent: "preview" | "import"; file: Uint8Array } | { ok: false; status: 400 | 413; reason: string };

/** The form's `intent` and `file`, read with the size limit applied while the body streams in. */
async function readUpload(request: Request): Promise<Upload> {
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({
        maxPartSize: CREATORS_CSV_MAX_BYTES,
        filter: ({ name }) => name === "file" || name === "intent",
      }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, status: 413, reason: CREATORS_CSV_TOO_LARGE };
    // Remix's parser throws a TypeError for a body that is not multipart/form-data.
    if (error instanceof TypeError) return { ok: false, status: 400, reason: "Send the file as a form upload (multipart/form-data)" };
    throw error;
  }
  const intent = intentSchema.safeParse(form.get("intent"));
  if (!intent.success) return { ok: false, status: 400, reason: "Say whether to preview or import the file" };
  const file = form.get("file");
  if (!(file instanceof Blob)) return { ok: false, status: 400, reason: "Choose a CSV file to upload" };
  return { ok: true, intent: intent.data, file: new Uint8Array(await file.arrayBuffer()) };
}

export default function ImportCreatorsPage() {
  const answer = useActionData<typeof action>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [file, setFile] = useState<File | null>(null);
  const [rejectedName, setRejectedName] = useState<string | null>(null);
  const busyWith = navigation.state === "submitting" ? (navigation.formData?.get("intent") ?? null) : null;

  const send = (intent: "preview" | "import", chosen: File) => {
    const form = new FormData();
    form.set("intent", intent);
    form.set("file", chosen);
    submit(form, { method: "post", encType: "multipart/form-data" });
  };
  const onDrop = (_files: File[], accepted: File[], rejected: File[]) => {
    const chosen = accepted[0];
    setRejectedName(chosen ? null : (rejected[0]?.name ?? null));
    if (!chosen) return;
    setFile(chosen);
    send("preview", chosen);
  };

  // While another file is being checked, the last answer is about the previous one.
  const checking = busyWith === "preview";
  const preview = checking ? null : (answer?.preview ?? null);
  const reason = checking ? null : (answer?.reason ?? null);
  return (
    <Page title="Import creators" backAction={{ content: "Creators", url: "/app/creators" }}>
      <BlockStack gap="400">
        {rejectedName ? <Banner tone="critical" title={`${rejectedName} is not a CSV file`} onDismiss={() => setRejectedName(null)} /> : null}
        {reason ? (
          <Banner tone="critical" title={preview ? "Nothing was imported" : "The file cannot be imported"}>
            <p>{reason}</p>
          </Banner>
        ) : null}
        <Card>
          <BlockStack gap="300">
            <Text as="p">
              Add many creators at once from a spreadsheet saved as CSV, one creator per row. Each gets their discount code
              and a revenue share contract, as when you add one by hand. Up to {CREATORS_CSV_MAX_ROWS.toLocaleString("en-US")}{" "}
              creators and {CREATORS_CSV_MAX_BYTES / (1024 * 1024)} MB per file.
            </Text>
            <DropZone
              label="Creators CSV"
              accept=".csv,.txt,text/csv"
              type="file"
              allowMultiple={false}
              onDrop={onDrop}
              disabled={busyWith !== null}
            >
              {file ? (
                <Box padding="400">
                  <BlockStack inlineAlign="center" gap="100">
                    <Text as="p" fontWeight="semibold">
                      {file.name}
                    </Text>
                    <Text as="p" tone="subdued">
                      {checking ? "Checking…" : "Drop another file to check it instead"}
                    </Text>
                  </BlockStack>
                </Box>
              ) : (
                <DropZone.FileUpload actionTitle="Choose a CSV file" actionHint="or drop it here" />
              )}
            </DropZone>
            <InlineStack gap="200" blockAlign="center">
              <Button url={TEMPLATE_HREF} download={TEMPLATE_FILENAME} variant="plain">
                Download the template
              </Button>
              <Text as="span" tone="subdued">
                Column names are matched whatever their case; commas, semicolons or tabs separate values.
              </Text>
            </InlineStack>
          </BlockStack>
        </Card>

        {preview && file ? (
          <PreviewCards preview={preview} fileName={file.name} importing={busyWith === "import"} onImport={() => send("import", file)} />
        ) : null}

        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Columns
            </Text>
            <List>
              {CREATORS_CSV_COLUMNS.map((column) => (
                <List.Item key={column.field}>
                  <Text as="span" fontWeight="semibold">
                    {column.header}
                  </Text>{" "}
                  ({column.required ? "required" : "optional"}): {column.help}
                </List.Item>
              ))}
            </List>
            <Text as="p" tone="subdued">
              Other columns are not imported. A value starting with =, +, - or @ is refused: spreadsheets run it as a formula.
            </Text>
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}

function PreviewCards({
  preview,
  fileName,
  importing,
  onImport,
}: {
  preview: CreatorImportPreview;
  fileName: string;
  importing: boolean;
  onImport: () => void;
}) {
  const creators = (count: number) => `${count.toLocaleString("en-US")} ${count === 1 ? "creator" : "creators"}`;
  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {fileName}
            </Text>
            <InlineStack gap="200">
              <Badge tone="success">{`${creators(preview.toCreateCount)} to import`}</Badge>
              {preview.rowsWithProblems > 0 ? (
                <Badge tone="critical">{`${preview.rowsWithProblems.toLocaleString("en-US")} ${preview.rowsWithProblems === 1 ? "row" : "rows"} with problems`}</Badge>
              ) : null}
            </InlineStack>
          </InlineStack>
          {preview.ignoredColumns.length > 0 ? (
            <Text as="p" tone="subdued">
              Not imported: {preview.ignoredColumns.join(", ")}.
            </Text>
          ) : null}
          {preview.importable ? (
            <InlineStack align="end">
              <Button variant="primary" loading={importing} onClick={onImport}>
                {`Import ${creators(preview.toCreateCount)}`}
              </Button>
            </InlineStack>
          ) : (
            <Text as="p">
              {preview.toCreateCount === 0 && preview.rowsWithProblems === 0
                ? "The file has no creators to import."
                : "The import creates every creator or none: fix the rows below in your spreadsheet, then drop the file here again."}
            </Text>
          )}
        </BlockStack>
      </Card>
      {preview.errorCount > 0 ? <ProblemsCard title="Rows with errors" problems={preview.errors} total={preview.errorCount} /> : null}
      {preview.duplicateCount > 0 ? (
        <ProblemsCard
          title="Duplicates"
          description="Discount codes and handles are unique in the shop: these are another creator's, or repeat an earlier row."
          problems={preview.duplicates}
          total={preview.duplicateCount}
        />
      ) : null}
      {preview.toCreate.length > 0 ? <CreatorsCard creators={preview.toCreate} total={preview.toCreateCount} /> : null}
    </BlockStack>
  );
}

function ProblemsCard({ title, description, problems, total }: { title: string; description?: string; problems: CreatorsCsvProblem[]; total: number }) {
  return (
    <TableCard title={title} total={total} description={description}>
      <DataTable
        columnContentTypes={["numeric", "text", "text"]}
        headings={["Row", "Column", "Reason"]}
        rows={problems.map((problem) => [
          problem.row,
          problem.column ?? "Whole row",
          <WrapCell key="reason" minWidth="20rem">
            {problem.reason}
          </WrapCell>,
        ])}
        footerContent={problems.length < total ? `The first ${problems.length} of ${total.toLocaleString("en-US")}` : undefined}
      />
    </TableCard>
  );
}

function CreatorsCard({ creators, total }: { creators: PreviewCreator[]; total: number }) {
  return (
    <TableCard title="Creators to import" total={total}>
      <DataTable
        columnContentTypes={["numeric", "text", "text", "text", "text", "numeric", "text"]}
        headings={["Row", "Name", "Handle", "Email", "Discount code", "Revenue share", "Segments"]}
        rows={creators.map((creator) => [
          creator.row,
          <WrapCell key="name" minWidth="8rem">
            {creator.name}
          </WrapCell>,
          creator.handleSuggested ? `${creator.handle} (from the name)` : creator.handle,
          creator.email ?? "—",
          creator.discountCode,
          `${creator.revenueSharePercent}%`,
          segmentsText(creator) || "—",
        ])}
        footerContent={creators.length < total ? `The first ${creators.length} of ${total.toLocaleString("en-US")}` : undefined}
      />
    </TableCard>
  );
}

/** A titled card around a table; a labelled region, so each table can be found by its title. */
function TableCard({ title, total, description, children }: { title: string; total: number; description?: string; children: ReactNode }) {
  return (
    <section aria-label={title}>
      <Card padding="0">
        <BlockStack gap="200">
          <Box paddingBlockStart="400" paddingInline="400">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">
                {title} ({total.toLocaleString("en-US")})
              </Text>
              {description ? (
                <Text as="p" tone="subdued">
                  {description}
                </Text>
              ) : null}
            </BlockStack>
          </Box>
          {children}
        </BlockStack>
      </Card>
    </section>
  );
}

function segmentsText(creator: PreviewCreator): string {
  return [
    creator.platform ? PLATFORM_LABELS[creator.platform] : null,
    creator.funnelStage ? FUNNEL_STAGE_LABELS[creator.funnelStage] : null,
    creator.niche,
  ]
    .filter(Boolean)
    .join(" · ");
}
