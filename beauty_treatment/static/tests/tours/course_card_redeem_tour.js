import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import { refresh } from "@point_of_sale/../tests/generic_helpers/utils";
import { registry } from "@web/core/registry";

const CARD = ".beauty-card-panel .beauty-card-line:contains(Tour facial)";

registry.category("web_tour.tours").add("BeautyCourseCardRedeemTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Card Customer"),
            {
                content: "The panel warns of the customer's health alert",
                trigger: ".beauty-card-panel .beauty-health-alert",
            },
            {
                content: "The panel shows the sessions left on the card",
                trigger: `${CARD} .beauty-card-left:contains(5 / 10)`,
            },
            {
                content: "Redeem one session from the card",
                trigger: `${CARD} .beauty-card-redeem`,
                run: "click",
            },
            {
                content: "Pick the therapist of the session",
                trigger: ".selection-item:contains(Therapist Tour)",
                run: "click",
            },
            ProductScreen.selectedOrderlineHas("Tour facial", "1", "0.00"),
            {
                content: "The session in the order is counted off the card",
                trigger: `${CARD} .beauty-card-left:contains(4 / 10)`,
            },
            {
                content: "The session in the order carries the therapist",
                trigger: ".beauty-card-panel .beauty-order-session:contains(Tour facial) .beauty-session-therapist:contains(Therapist Tour)",
            },
            refresh(),
            ProductScreen.selectedOrderlineHas("Tour facial", "1", "0.00"),
            {
                content: "After a reload the card and the session in the order are still there",
                trigger: `${CARD} .beauty-card-left:contains(4 / 10)`,
            },
            {
                content: "After a reload the session in the order still carries the therapist",
                trigger: ".beauty-card-panel .beauty-order-session:contains(Tour facial) .beauty-session-therapist:contains(Therapist Tour)",
            },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});
