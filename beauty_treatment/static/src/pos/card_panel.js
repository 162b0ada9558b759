import { Component, useEffect, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import { _t } from "@web/core/l10n/translation";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";
import { ProductScreen } from "@point_of_sale/app/screens/product_screen/product_screen";
import { SelectionPopup } from "@point_of_sale/app/components/popups/selection_popup/selection_popup";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";

const CARD_LINE = "beauty.package.card.line";

/**
 * The customer's prepaid course cards at the till: sessions left per treatment, a
 * health-alert badge, a button that redeems one session into the order (price 0, linked
 * to the card line) and the therapist of the selected order line.
 */
export class BeautyCardPanel extends Component {
    static template = "beauty_treatment.BeautyCardPanel";
    static props = { partner: Object };

    setup() {
        this.pos = usePos();
        this.dialog = useService("dialog");
        this.notification = useService("notification");
        this.state = useState({ loading: false });
        useEffect(
            (partnerId) => {
                this.refresh(partnerId);
            },
            () => [this.props.partner.id]
        );
    }

    get order() {
        return this.pos.getOrder();
    }

    get ownerIds() {
        const partner = this.props.partner;
        const ids = [partner.id];
        if (partner.parent_id) {
            ids.push(partner.parent_id.id);
        }
        return ids;
    }

    /** Sessions of a card line already in the current order, not synced yet. */
    inOrder(cardLine) {
        return (this.order?.lines || [])
            .filter((line) => line.beauty_package_card_line_id?.id === cardLine.id)
            .reduce((total, line) => total + line.qty, 0);
    }

    left(cardLine) {
        return cardLine.remaining - this.inOrder(cardLine);
    }

    get cardLines() {
        const owners = this.ownerIds;
        return this.pos.models[CARD_LINE].filter(
            (line) =>
                owners.includes(line.raw.partner_id) &&
                line.card_state === "active" &&
                line.remaining > 0
        );
    }

    get therapists() {
        return this.pos.models["hr.employee.public"].getAll();
    }

    /** The order's lines redeemed from a card, each with its therapist. */
    get orderSessions() {
        return (this.order?.lines || []).filter((line) => line.beauty_package_card_line_id);
    }

    get selectedLine() {
        return this.order?.getSelectedOrderline();
    }

    expiryDate(cardLine) {
        const date = cardLine.card_expiry_date;
        if (!date) {
            return "";
        }
        return typeof date === "string" ? date.slice(0, 10) : date.toISODate();
    }

    isExpired(cardLine) {
        const date = this.expiryDate(cardLine);
        return Boolean(date) && date < luxon.DateTime.local().toISODate();
    }

    expiry(cardLine) {
        return this.expiryDate(cardLine) || _t("none");
    }

    async refresh(partnerId) {
        this.state.loading = true;
        try {
            await this.pos.data.callRelated(
                CARD_LINE,
                "get_beauty_pos_cards",
                [partnerId, this.pos.config.id],
                {},
                false
            );
        } catch {
            // Offline: the till keeps showing what it loaded; the server checks at sync.
        } finally {
            this.state.loading = false;
        }
    }

    async redeem(cardLine) {
        const product = cardLine.product_id;
        if (!product) {
            this.notification.add(
                _t("This treatment is not available at this Point of Sale."),
                { type: "warning" }
            );
            return;
        }
        if (this.left(cardLine) <= 0) {
            this.notification.add(_t("No session left on this card."), { type: "warning" });
            return;
        }
        const line = await this.pos.addLineToCurrentOrder(
            {
                product_tmpl_id: product.product_tmpl_id,
                product_id: product,
                price_unit: 0,
                qty: 1,
                beauty_package_card_line_id: cardLine,
            },
            {},
            false
        );
        if (line && this.therapists.length) {
            await this.chooseTherapist(line);
        }
    }

    async chooseTherapist(line = this.selectedLine) {
        if (!line) {
            return;
        }
        const therapist = await makeAwaitable(this.dialog, SelectionPopup, {
            title: _t("Therapist for %s", line.getFullProductName()),
            list: this.therapists.map((employee) => ({
                id: employee.id,
                label: employee.name,
                isSelected: line.beauty_therapist_id?.id === employee.id,
                item: employee,
            })),
        });
        if (therapist) {
            line.update({ beauty_therapist_id: therapist });
        }
    }
}

ProductScreen.components = { ...ProductScreen.components, BeautyCardPanel };
