import { patch } from "@web/core/utils/patch";
import { ResPartner } from "@point_of_sale/app/models/res_partner";

// The member number finds the customer at the till, typed or scanned.
patch(ResPartner.prototype, {
    get searchString() {
        return [super.searchString, this.beauty_customer_number || ""].join(" ");
    },
    exactMatch(searchWord) {
        return (
            super.exactMatch(searchWord) ||
            Boolean(
                this.beauty_customer_number &&
                    this.beauty_customer_number.toLowerCase() === searchWord
            )
        );
    },
});
