"""Key rotation from the command line:

``odoo-bin --addons-path=… customer_archive_rotate_key -c odoo.conf -d DB``
``[--new-key KEY | --new-key-file FILE] [--update-config]``

Re-encrypts the identity and bank numbers of a database under a new key. Stop the Odoo servers
of that database first; the command works in one transaction, so it changes everything or nothing.
"""

import argparse
import re
import sys
from pathlib import Path

import odoo
from odoo.cli import Command
from odoo.modules.registry import Registry

from ..models.customer_archive_encryption import KEY_OPTION


class CustomerArchiveRotateKey(Command):
    """Re-encrypt customer archive identity and bank numbers under a new key"""

    name = "customer_archive_rotate_key"

    def run(self, cmdargs):
        parser = argparse.ArgumentParser(prog=f"odoo-bin {self.name}", description=self.__doc__)
        parser.add_argument("-c", "--config", required=True, help="the Odoo configuration file")
        parser.add_argument("-d", "--database", required=True)
        new_key = parser.add_mutually_exclusive_group()
        new_key.add_argument("--new-key", help="the new key (default: a newly generated one)")
        new_key.add_argument(
            "--new-key-file", help="a file holding the new key (keeps it off the process list)"
        )
        parser.add_argument(
            "--update-config",
            action="store_true",
            help=f"write the new key as {KEY_OPTION} into the configuration file afterwards",
        )
        args = parser.parse_args(cmdargs)
        odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
        # Loading the registry checks that the configured (old) key is the database's.
        registry = Registry(args.database)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            crypto = env["customer.archive.encryption"]
            if args.new_key_file:
                new_key = Path(args.new_key_file).read_text().strip()
            else:
                new_key = args.new_key or crypto._generate_key()
            count = crypto._rotate_key(new_key)
        if args.update_config:
            write_key(Path(args.config), new_key)
            sys.stdout.write(f"{count} values re-encrypted; {args.config} now holds the new key.\n")
        else:
            sys.stdout.write(
                f"{count} values re-encrypted. Put this line in {args.config} before starting Odoo:\n"
                f"{KEY_OPTION} = {new_key}\n"
            )
        sys.exit(0)


def write_key(path, key):
    """Set the key line of an Odoo configuration file, keeping everything else as it is."""
    text = path.read_text()
    line = f"{KEY_OPTION} = {key}"
    pattern = re.compile(rf"^{KEY_OPTION}\s*=.*$", re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(line, text)
    else:
        text = re.sub(r"^\[options\]\s*$", f"[options]\n{line}", text, count=1, flags=re.MULTILINE)
    path.write_text(text)
