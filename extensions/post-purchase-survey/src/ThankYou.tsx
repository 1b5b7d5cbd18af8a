import "@shopify/ui-extensions/preact";
import { render } from "preact";

import { surveyEndpoint } from "./app-origin";
import { hostFrom, Survey, type SurveyHost } from "./Survey";

// purchase.thank-you.block.render: the buyer's checkout session token, the order's confirmation number.
export default async () => {
  const host = hostFrom(shopify);
  render(<ThankYouSurvey host={host} />, document.body);
};

function ThankYouSurvey({ host }: { host: SurveyHost }) {
  return (
    <Survey
      endpoint={surveyEndpoint("thank-you")}
      confirmationNumber={shopify.orderConfirmation.value.number}
      host={host}
    />
  );
}
