import { Banner } from "@shopify/polaris";
import type { ReactNode } from "react";

/**
 * What a settings form's last submit did, at the top of its page: saved, with `children` saying when the change
 * takes effect, or refused. A refused form keeps what the merchant typed and each field says what is wrong, so the
 * banner only counts them.
 */
export function SettingsSaveBanners({
  saved,
  savedTitle,
  fieldErrors,
  children,
}: {
  saved: boolean;
  savedTitle: string;
  fieldErrors: Partial<Record<string, string>>;
  children: ReactNode;
}) {
  const errorCount = Object.keys(fieldErrors).length;
  return (
    <>
      {saved ? (
        <Banner tone="success" title={savedTitle}>
          {children}
        </Banner>
      ) : null}
      {errorCount > 0 ? (
        <Banner
          tone="critical"
          title={errorCount === 1 ? "One setting needs a change" : `${errorCount} settings need a change`}
        >
          <p>Nothing was saved. The fields below say what to fix.</p>
        </Banner>
      ) : null}
    </>
  );
}
