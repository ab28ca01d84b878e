"""Running Odoo in a subprocess on a database of a test's own (upgrade, demo in Chinese)."""

import subprocess
import sys
from pathlib import Path

from odoo.tools import config

ROOT = Path(__file__).resolve().parents[1]
ADDONS = "customer_archive,customer_credit"


class OdooSubprocessMixin:
    def run_odoo(self, conf, *args, stdin=None):
        # A subcommand (shell) comes before the options.
        command = [args[0], "-c", conf, *args[1:]] if args and args[0] == "shell" else ["-c", conf, *args]
        result = subprocess.run(
            [sys.executable, config["root_path"] + "/../odoo-bin", *command],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=1200,
        )
        self.assertEqual(result.returncode, 0, result.stderr[-4000:])
        return result.stdout

    def run_python(self, conf, script, *args):
        """Run a Python script of the project (e.g. scripts/new_database.py) with this Python and
        Odoo's configuration ``conf`` (passed as ``-c conf``); returns its standard output."""
        result = subprocess.run(
            [sys.executable, str(script), "-c", conf, *args],
            capture_output=True,
            text=True,
            timeout=1200,
        )
        self.assertEqual(result.returncode, 0, result.stderr[-4000:])
        return result.stdout

    def write_conf(self, folder, addons):
        path = Path(folder) / f"{addons.name}.conf"
        odoo_addons = [p for p in config["addons_path"].split(",") if Path(p).resolve() != ROOT]
        options = {
            "addons_path": ",".join([*odoo_addons, str(addons)]),
            "data_dir": str(Path(folder) / "data"),
            "db_host": config["db_host"] or False,
            "db_port": config["db_port"] or False,
            "db_user": config["db_user"] or False,
            "log_level": "warn",
            "http_enable": False,
            "customer_archive_encryption_key": config.get("customer_archive_encryption_key"),
        }
        path.write_text("[options]\n" + "".join(f"{k} = {v}\n" for k, v in options.items()))
        return str(path)


DROP = """
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
conn.autocommit = True
conn.cursor().execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % sys.argv[1])
"""
