/** A manual adjustment's reason is shown on the creator's statement; the form and the model share the limit. */
export const ADJUSTMENT_REASON_MAX_LENGTH = 500;
