// The creator segments the leaderboard filters and the dashboard breaks down by, with the words the UI and CSV use.
// The same values as the database enums CreatorPlatform and FunnelStage.
export type CreatorPlatform = "INSTAGRAM" | "TIKTOK" | "YOUTUBE" | "PODCAST" | "BLOG" | "NEWSLETTER" | "OTHER";
export type FunnelStage = "AWARENESS" | "CONSIDERATION" | "CONVERSION";

export const PLATFORM_LABELS: Record<CreatorPlatform, string> = {
  INSTAGRAM: "Instagram",
  TIKTOK: "TikTok",
  YOUTUBE: "YouTube",
  PODCAST: "Podcast",
  BLOG: "Blog",
  NEWSLETTER: "Newsletter",
  OTHER: "Other platform",
};

export const FUNNEL_STAGE_LABELS: Record<FunnelStage, string> = {
  AWARENESS: "Awareness",
  CONSIDERATION: "Consideration",
  CONVERSION: "Conversion",
};
