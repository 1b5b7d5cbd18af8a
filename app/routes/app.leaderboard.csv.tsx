import type { LoaderFunctionArgs } from "@remix-run/node";
import { leaderboard, leaderboardCsv, leaderboardCsvFilename, parseLeaderboardQuery, shopNiches } from "~/models/leaderboard.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

/*
 * The leaderboard as CSV, read from the same URL parameters as the page (range, segment filters, sort, rank), so the
 * file is the table on screen: the same columns and order, every listed creator rather than one page. A query the
 * page would refuse is refused here too (400, with the reason as text).
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const parsed = parseLeaderboardQuery(new URL(request.url).searchParams, {
    timezone: shop.timezone,
    knownNiches: await shopNiches(shop.id),
  });
  if (!parsed.ok) {
    return new Response([parsed.rangeError, parsed.queryError].filter(Boolean).join(" "), {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const board = await leaderboard(shop, parsed.query);
  return new Response(leaderboardCsv(board, { currencyCode: shop.currencyCode, rank: parsed.query.rank }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${leaderboardCsvFilename(parsed.query.range)}"`,
      "Cache-Control": "no-store",
    },
  });
};
