import * as PosLoyalty from "@pos_loyalty/../tests/tours/utils/pos_loyalty_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("BeautyWalletPartialPaymentTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Wallet Customer"),
            {
                content: "The member panel shows tier and stored value",
                trigger: ".beauty-member-panel .beauty-member-tier:contains(Gold)",
            },
            {
                content: "The member panel shows the stored value",
                trigger: ".beauty-member-panel .beauty-member-wallet:contains(120)",
            },
            ProductScreen.addOrderline("Beauty serum", "1"),
            PosLoyalty.eWalletButtonState({
                highlighted: true,
                text: "eWallet Pay",
                click: true,
            }),
            PosLoyalty.orderTotalIs("180.00"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickNumpad("1 8 0"),
            PaymentScreen.clickValidate(),
            {
                // The order is recorded with its stored value payment on the server first:
                // on a loaded two-core machine this takes longer than a step's usual 10 s.
                content: "wait for the receipt once the server has recorded the order",
                trigger: ".receipt-screen .button.next.highlight[name='done']",
                timeout: 30000,
            },
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});
