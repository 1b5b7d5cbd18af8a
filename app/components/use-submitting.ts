import { useNavigation } from "@remix-run/react";

/** Whether the page's form with this `intent` is being submitted, so only its button spins. */
export function useSubmitting(intent: string): boolean {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
}
