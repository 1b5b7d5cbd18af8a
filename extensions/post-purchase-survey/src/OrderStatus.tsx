import "@shopify/ui-extensions/preact";
import { render } from "preact";

import { surveyEndpoint } from "./app-origin";
import { hostFrom, Survey, type SurveyHost } from "./Survey";

// customer-account.order-status.block.render: the customer account session token, the order's confirmation number.
export default async () => {
  const host = hostFrom(shopify);
  render(<OrderStatusSurvey host={host} />, document.body);
};

function OrderStatusSurvey({ host }: { host: SurveyHost }) {
  return (
    <Survey
      endpoint={surveyEndpoint("order-status")}
      confirmationNumber={shopify.order.value?.confirmationNumber}
      host={host}
    />
  );
}
