{
    "name": "Customer Credit",
    "summary": "Customer credit archives: scorecards, grades, limits, grants and sales-order holds",
    "version": "18.0.1.0.0",
    "category": "Sales/Customer Credit",
    "license": "LGPL-3",
    "author": "Customer Archive Team",
    "website": "https://example.com/customer-archive",
    "maintainers": ["customer-archive-team"],
    "depends": ["customer_archive", "sale"],
    "data": [
        "security/customer_credit_groups.xml",
        "views/menus.xml",
    ],
    "application": True,
    "installable": True,
}
