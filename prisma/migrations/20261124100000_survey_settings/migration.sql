-- CreateEnum
CREATE TYPE "SurveySurface" AS ENUM ('THANK_YOU', 'ORDER_STATUS');

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "surveySettings" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "SurveyResponse" ADD COLUMN     "surface" "SurveySurface";

-- CreateIndex
CREATE INDEX "SurveyResponse_shopId_answeredAt_idx" ON "SurveyResponse"("shopId", "answeredAt");
