import type { PrismaClient, SurveyResponse, SurveySurface } from "@prisma/client";
import { lockConfirmationNumber, reattributeOrder } from "./ingest-order.server";
import type { CreatorPeriodRef } from "./post-commissions.server";

export interface SurveyAnswerInput {
  confirmationNumber: string;
  optionKey: string;
  optionLabel: string;
  /** The creator the option stands for; null for channels and "Other". */
  creatorId: string | null;
  otherText: string | null;
  /** The page the shopper answered on. */
  surface?: SurveySurface | null;
  answeredAt?: Date;
}

export interface RecordedSurveyAnswer {
  response: SurveyResponse;
  /** False when the order had already been answered: the first answer stands. */
  created: boolean;
  changedPeriods: CreatorPeriodRef[];
}

/**
 * Stores a shopper's answer, once per order (a retried submission finds the first one), and re-attributes the order
 * if it has arrived; an answer that comes before its order webhook is joined when the order is ingested.
 */
export async function recordSurveyAnswer(
  db: PrismaClient,
  shopId: string,
  input: SurveyAnswerInput,
): Promise<RecordedSurveyAnswer> {
  return db.$transaction(
    async (tx) => {
      const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId } });
      if (input.creatorId) {
        const creator = await tx.creator.findFirst({ where: { id: input.creatorId, shopId }, select: { id: true } });
        if (!creator) throw new Error(`Creator ${input.creatorId} does not belong to the shop`);
      }
      // The order may be arriving right now (ingestOrder takes the same lock): whichever commits second joins the two.
      await lockConfirmationNumber(tx, shopId, input.confirmationNumber);
      const inserted = await tx.surveyResponse.createManyAndReturn({
        data: [{ shopId, ...input, answeredAt: input.answeredAt ?? new Date() }],
        skipDuplicates: true,
      });
      const response =
        inserted[0] ??
        (await tx.surveyResponse.findUniqueOrThrow({
          where: { shopId_confirmationNumber: { shopId, confirmationNumber: input.confirmationNumber } },
        }));
      if (!inserted[0]) return { response, created: false, changedPeriods: [] };

      const order = await tx.order.findFirst({
        where: { shopId, confirmationNumber: input.confirmationNumber },
        select: { id: true },
      });
      const reattributed = order ? await reattributeOrder(tx, shop, order.id) : null;
      return { response, created: true, changedPeriods: reattributed?.changedPeriods ?? [] };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}
