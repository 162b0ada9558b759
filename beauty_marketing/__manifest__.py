{
    "name": "Beauty Care and Marketing",
    "summary": "Segments, care reminders by mail and SMS, complaints, unconverted consultations",
    "version": "19.0.1.0.0",
    "category": "Services/Beauty",
    "author": "Beauty Archive Project",
    "website": "https://github.com/beauty-archive/beauty-archive",
    "license": "LGPL-3",
    "depends": ["beauty_treatment", "beauty_membership", "sms", "mail"],
    "data": [
        "security/ir.model.access.csv",
        "views/beauty_consultation_views.xml",
        "views/beauty_marketing_menus.xml",
    ],
    "installable": True,
}
