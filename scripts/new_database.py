"""Create a new database for a company in a given country (China by default), as Odoo's database
manager creates one, then install the accounting and both addons.

    python scripts/new_database.py -c odoo.conf -d DB [--country CN] [--lang zh_CN]
                                   [--without-demo] [--login admin] [--password admin]

Run it with the Python that runs Odoo (the venv's, or the Docker image's python3). Odoo chooses a
company's chart of accounts from the company's country when `account` is first installed; a
database made with `odoo -i customer_archive,customer_credit` has a company without a country, so
it gets the generic chart and US dollars. This script therefore, in this order:

1. creates the database with Odoo's own `odoo.service.db.exp_create_database` (the function behind
   the web database manager): base, the language, the main company in the country with the
   country's currency (CNY for China), the admin user's login and password;
2. installs `account`: Odoo then also installs the country's localisation (`l10n_cn`, China's
   chart of accounts: 13% VAT on sales by default, prices VAT included);
3. installs `customer_archive` and `customer_credit` (with their demo data unless --without-demo).

It refuses an existing database (nothing is changed then) and exits non-zero when a step fails.
"""

import argparse
import logging
import sys

import pytz

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service import db as db_service
from odoo.tools import config

ADDONS = ["customer_archive", "customer_credit"]
_logger = logging.getLogger("new_database")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="name of the new database")
    parser.add_argument("--country", default="CN", help="country code of the company (default CN)")
    parser.add_argument(
        "--lang", default="zh_CN", help="language installed and given to admin (default zh_CN)"
    )
    parser.add_argument("--without-demo", action="store_true", help="no demo data")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--log-level", default="warn", help="Odoo's log level (default warn)")
    return parser.parse_args(argv)


def install(db_name, modules):
    """Install `modules` (names) in `db_name`, as Apps > Install does; returns nothing."""
    with Registry(db_name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        records = env["ir.module.module"].search([("name", "in", modules)])
        missing = set(modules) - set(records.mapped("name"))
        if missing:
            sys.exit(f"new_database: modules not found in the addons path: {', '.join(sorted(missing))}")
        # Commits, then loads a new registry with the modules (and those they auto-install).
        records.button_immediate_install()


def company_summary(db_name):
    """Return (country code, currency, chart template, default sales tax) of the main company."""
    with Registry(db_name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        tax = company.account_sale_tax_id if "account_sale_tax_id" in company._fields else None
        return (
            company.country_id.code,
            company.currency_id.name,
            company.chart_template if "chart_template" in company._fields else None,
            tax and f"{tax.amount:g}% {tax.type_tax_use}",
        )


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    config.parse_config(["-c", args.config, f"--log-level={args.log_level}"], setup_logging=True)
    # Without demo data for base, nothing installed later gets any (Odoo's loader would otherwise
    # load base's demo data when the option is not set).
    config["without_demo"] = "all" if args.without_demo else False
    # The database-management functions are refused when the configuration hides the database list
    # (list_db = False, as in docker/odoo.conf): that protects the web server, and this process is
    # no web server.
    config["list_db"] = True
    country = args.country.upper()
    if country not in pytz.country_timezones:
        sys.exit(f"new_database: unknown country code {args.country!r}")
    db_name = args.database

    try:
        db_service.exp_create_database(
            db_name,
            not args.without_demo,
            args.lang,
            user_password=args.password,
            login=args.login,
            country_code=country,
        )
    except db_service.DatabaseExists:
        sys.exit(f"new_database: the database {db_name} exists already: nothing was changed")
    # exp_create_database logs a failure of its second half (installing base) and returns anyway.
    with Registry(db_name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company", raise_if_not_found=False)
        if not (company and company.country_id.code == country):
            sys.exit(f"new_database: the database {db_name} was not initialised; see the log above")
        # Odoo sets the users' time zone only for a country with one; China has two, Shanghai first.
        env["res.users"].search([]).write({"tz": pytz.country_timezones[country][0]})

    # The company is in its country before account is installed: Odoo installs the country's
    # localisation and loads its chart (and taxes, and the company's fiscal country) on it.
    install(db_name, ["account"])
    install(db_name, ADDONS)

    country_code, currency, chart, tax = company_summary(db_name)
    print(
        f"database {db_name}: company in {country_code}, currency {currency}, "
        f"chart of accounts {chart}, default sales tax {tax}, "
        f"{'without' if args.without_demo else 'with'} demo data, language {args.lang}"
    )
    odoo.sql_db.close_all()


if __name__ == "__main__":
    main()
