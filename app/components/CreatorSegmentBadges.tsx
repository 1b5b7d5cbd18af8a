import type { CreatorPlatform, FunnelStage } from "@prisma/client";
import { Badge, InlineStack } from "@shopify/polaris";
import { FUNNEL_STAGE_LABELS, PLATFORM_LABELS } from "~/domain/metrics/segment-labels";

export interface CreatorSegments {
  platform: CreatorPlatform | null;
  funnelStage: FunnelStage | null;
  niche: string | null;
}

/** The creator's segment tags as badges (platform, funnel stage, niche); nothing when none is set. */
export function CreatorSegmentBadges({ segments }: { segments: CreatorSegments }) {
  const { platform, funnelStage, niche } = segments;
  if (!platform && !funnelStage && !niche) return null;
  return (
    <InlineStack gap="100" wrap>
      {platform ? <Badge tone="info">{PLATFORM_LABELS[platform]}</Badge> : null}
      {funnelStage ? <Badge tone="magic">{`${FUNNEL_STAGE_LABELS[funnelStage]} stage`}</Badge> : null}
      {niche ? <Badge>{niche}</Badge> : null}
    </InlineStack>
  );
}
