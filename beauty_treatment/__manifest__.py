{
    "name": "Beauty Treatments",
    "summary": "Treatment catalogue, bookings, treatment records, course cards at the POS",
    "version": "19.0.1.0.0",
    "category": "Services/Beauty",
    "author": "Beauty Archive Project",
    "website": "https://github.com/beauty-archive/beauty-archive",
    "license": "LGPL-3",
    "depends": ["beauty_customer_profile", "point_of_sale", "stock", "hr", "calendar", "resource"],
    "data": [
        "security/beauty_treatment_groups.xml",
        "views/product_template_views.xml",
        "views/beauty_treatment_menus.xml",
    ],
    "demo": ["demo/product_demo.xml"],
    "installable": True,
}
