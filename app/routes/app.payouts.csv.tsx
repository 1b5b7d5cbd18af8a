import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { markPayoutsExported, payoutsCsv } from "~/services/record-payout.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

/*
 * A PayPal Payouts Web upload file for the payouts named by `payoutId` (repeated). POST stamps them as exported,
 * so the payouts page stops offering them; GET only reads (a file downloaded again). A file is handed out only
 * when every payout asked for can be in it: otherwise 422 with the reasons, so no payout is left out unnoticed.
 */

async function csvResponse(shopId: string, payoutIds: string[], markExported: boolean): Promise<Response> {
  if (payoutIds.length === 0) {
    return Response.json({ errors: [{ payoutId: null, creatorName: null, message: "Select at least one payout" }] }, { status: 400 });
  }
  const file = await payoutsCsv(shopId, payoutIds);
  if (file.csv === null || file.errors.length > 0) {
    return Response.json({ errors: file.errors }, { status: 422 });
  }
  if (markExported) await markPayoutsExported(shopId, file.payoutIds);
  return new Response(file.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  return csvResponse(shop.id, new URL(request.url).searchParams.getAll("payoutId"), false);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const formData = await readAdminForm(request);
  const payoutIds = formData.getAll("payoutId").filter((value): value is string => typeof value === "string");
  return csvResponse(shop.id, payoutIds, true);
};
