{
    "name": "Beauty Membership",
    "summary": "Member tiers, points and stored value on Odoo loyalty, race-safe at the POS",
    "version": "19.0.1.0.0",
    "category": "Services/Beauty",
    "author": "Beauty Archive Project",
    "website": "https://github.com/beauty-archive/beauty-archive",
    "license": "LGPL-3",
    "depends": ["beauty_customer_profile", "loyalty", "pos_loyalty"],
    "data": [
        "security/ir.model.access.csv",
        "security/beauty_membership_security.xml",
        "data/ir_cron_data.xml",
        "views/beauty_member_tier_views.xml",
        "views/beauty_tier_history_views.xml",
        "views/beauty_card_move_views.xml",
        "views/loyalty_card_views.xml",
        "views/res_partner_views.xml",
        "views/beauty_liability_report_views.xml",
        "views/beauty_balance_check_views.xml",
        "wizard/beauty_tier_override_views.xml",
        "views/beauty_membership_menus.xml",
    ],
    "demo": [
        "demo/beauty_member_tier_demo.xml",
        "demo/beauty_membership_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "beauty_membership/static/src/pos/**/*",
        ],
        "web.assets_tests": [
            "beauty_membership/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
