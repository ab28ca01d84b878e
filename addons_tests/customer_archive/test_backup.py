"""Backups in Odoo's own format (the database manager's zip: dump.sql, filestore/, manifest.json):
the scheduled backup configured in the server configuration file, and the scripts backup.sh and
restore.sh with a real round trip."""

import json
import logging
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
import zipfile
from contextlib import closing
from pathlib import Path
from unittest.mock import patch

import odoo
from odoo.exceptions import UserError
from odoo.tests.common import TransactionCase, get_db_name
from odoo.tools import SQL, config

ROOT = Path(__file__).resolve().parents[2]
LOGGER = "odoo.addons.customer_archive.models.customer_archive_backup"
STAMP = r"\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}"


class TestScheduledBackup(TransactionCase):
    def setUp(self):
        super().setUp()
        self.directory = self.enterContext(tempfile.TemporaryDirectory())
        self.db = self.env.cr.dbname
        self.Backup = self.env["customer.archive.backup"]

    def configure(self, **options):
        """Set customer_archive_backup_<key> options as if read from the server configuration file."""
        self.enterContext(
            patch.dict(config.options, {f"customer_archive_backup_{k}": v for k, v in options.items()})
        )

    def test_cron_writes_a_backup_in_odoo_format(self):
        self.configure(dir=self.directory)
        content = b"scanned contract " + secrets.token_hex(8).encode()
        attachment = self.env["ir.attachment"].create({"name": "contract.pdf", "raw": content})
        self.assertTrue(attachment.store_fname, "the attachment is stored in the filestore")

        path = self.Backup._cron_backup()

        self.assertEqual(os.path.dirname(path), self.directory)
        self.assertRegex(os.path.basename(path), rf"^{re.escape(self.db)}_{STAMP}\.zip$")
        # Written under a temporary name and renamed: nothing else is left in the directory.
        self.assertEqual(os.listdir(self.directory), [os.path.basename(path)])
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            self.assertEqual(names[0], "dump.sql", "Odoo's database manager puts dump.sql first")
            manifest = json.loads(zf.read("manifest.json"))
            self.assertEqual(manifest["odoo_dump"], "1")
            self.assertEqual(manifest["db_name"], self.db)
            self.assertEqual(manifest["version"], odoo.release.version)
            for module in ("base", "customer_archive", "customer_credit"):
                self.assertIn(module, manifest["modules"])
            self.assertEqual(zf.read(f"filestore/{attachment.store_fname}"), content)
            with zf.open("dump.sql") as dump:
                sql = dump.read()
        self.assertIn(b"CREATE TABLE public.customer_archive (", sql)
        self.assertIn(b"CREATE TABLE public.ir_attachment (", sql)

    def test_cron_keeps_only_the_newest_backups_of_its_database(self):
        self.configure(dir=self.directory, keep="2")
        older = [f"{self.db}_2020-01-0{day}_03-00-00.zip" for day in (1, 2, 3, 4)]
        others = [
            f"other_{self.db}_2020-01-01_03-00-00.zip",  # another database's
            f"{self.db}_x_2020-01-01_03-00-00.zip",  # another database's, whose name starts with ours
            "notes.txt",
        ]
        for name in older + others:
            Path(self.directory, name).write_bytes(b"old")
        # A partial backup of a run killed two days ago goes; one being written now stays.
        stale, fresh = (
            Path(self.directory, f".{self.db}_partial_{n}.zip.part") for n in ("stale123", "fresh123")
        )
        for path in (stale, fresh):
            path.write_bytes(b"partial")
        two_days_ago = time.time() - 2 * 24 * 3600
        os.utime(stale, (two_days_ago, two_days_ago))

        with self.assertLogs(LOGGER, logging.INFO) as logs:  # not "INFO": Odoo maps that name to 25
            path = self.Backup._cron_backup()

        self.assertEqual(
            sorted(os.listdir(self.directory)),
            sorted([os.path.basename(path), older[-1], *others, fresh.name]),
        )
        for name in [*older[:3], os.path.basename(path)]:
            self.assertTrue(any(name in line for line in logs.output), (name, logs.output))

    def test_the_daily_scheduled_action_runs_the_backup(self):
        cron = self.env.ref("customer_archive.ir_cron_customer_archive_backup")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        self.configure(dir=self.directory)
        cron.method_direct_trigger()
        [name] = os.listdir(self.directory)
        self.assertRegex(name, rf"^{re.escape(self.db)}_{STAMP}\.zip$")

    def test_cron_does_nothing_without_the_option(self):
        Backup = type(self.Backup)
        with patch.object(Backup, "_write_backup") as write, patch.dict(config.options):
            config.options.pop("customer_archive_backup_dir", None)
            self.assertIsNone(self.Backup._cron_backup())
            config.options["customer_archive_backup_dir"] = False  # "= False" in the configuration file
            self.assertIsNone(self.Backup._cron_backup())
        write.assert_not_called()
        self.assertEqual(os.listdir(self.directory), [])

    def test_cron_refuses_a_directory_it_cannot_write(self):
        blocker = Path(self.directory, "a-file")
        blocker.write_bytes(b"")
        unwritable = str(blocker / "backups")  # a directory below a file can never be created
        self.configure(dir=unwritable)
        with self.assertLogs(LOGGER, logging.ERROR) as logs, self.assertRaises(UserError) as error:
            self.Backup._cron_backup()
        self.assertIn(unwritable, str(error.exception))
        self.assertIn(unwritable, logs.output[0])
        self.assertEqual(os.listdir(self.directory), ["a-file"])

    def test_cron_refuses_a_wrong_keep_count(self):
        for keep in ("0", "seven"):
            self.configure(dir=self.directory, keep=keep)
            with self.assertRaises(UserError):
                self.Backup._cron_backup()
        self.assertEqual(os.listdir(self.directory), [])


def _run(script, *args, **env):
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env={**os.environ, "ODOO_CONF": config.rcfile, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _drop(db):
    """Drop a database this test created, and its filestore. (Odoo's exp_drop() only drops what
    list_dbs() lists, which with --database is that database alone.)"""
    odoo.sql_db.close_db(db)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(db)))
    shutil.rmtree(config.filestore(db), ignore_errors=True)


def test_backup_script_then_restore_script_bring_back_records_and_files():
    """scripts/backup.sh of the test database, scripts/restore.sh into a new one: a customer and the
    content of its attachment come back."""
    db = get_db_name()
    new_db = f"{db}_restored_{secrets.token_hex(3)}"
    registry = odoo.modules.registry.Registry(db)
    name = f"Backup probe {secrets.token_hex(4)}"
    content = b"signed contract " + secrets.token_bytes(16)
    context = {"tracking_disable": True, "mail_create_nolog": True}
    # pg_dump sees committed data only: commit the probe records, and remove them afterwards.
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, context)
        partner = env["res.partner"].create({"name": name})
        attachment = env["ir.attachment"].create(
            {"name": "contract.pdf", "raw": content, "res_model": "res.partner", "res_id": partner.id}
        )
        partner_id, attachment_id, store_fname = partner.id, attachment.id, attachment.store_fname
    try:
        with tempfile.TemporaryDirectory() as directory:
            backup = _run("backup.sh", db, directory, BACKUP_KEEP="1")
            assert backup.returncode == 0, backup.stderr
            zip_path = backup.stdout.strip().splitlines()[-1]
            assert re.fullmatch(rf"{re.escape(directory)}/{re.escape(db)}_{STAMP}\.zip", zip_path)
            assert os.listdir(directory) == [os.path.basename(zip_path)]

            restore = _run("restore.sh", zip_path, new_db)
            assert restore.returncode == 0, restore.stderr

        with odoo.sql_db.db_connect(new_db).cursor() as cr:
            cr.execute("SELECT name FROM res_partner WHERE id = %s", [partner_id])
            assert cr.fetchone() == (name,)
            cr.execute("SELECT store_fname, res_id FROM ir_attachment WHERE id = %s", [attachment_id])
            assert cr.fetchone() == (store_fname, partner_id)
        assert Path(config.filestore(new_db), store_fname).read_bytes() == content
    finally:
        _drop(new_db)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, context)
            env["ir.attachment"].browse(attachment_id).unlink()
            env["res.partner"].browse(partner_id).unlink()
    assert not odoo.service.db.exp_db_exist(new_db)
    assert not os.path.exists(config.filestore(new_db))


def test_restore_script_never_overwrites_a_database():
    db = get_db_name()
    with tempfile.TemporaryDirectory() as directory:
        dummy = Path(directory, "backup.zip")
        dummy.write_bytes(b"")
        restore = _run("restore.sh", str(dummy), db)
    assert restore.returncode == 1
    assert f"the database {db} exists already" in restore.stderr
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        cr.execute("SELECT state FROM ir_module_module WHERE name = 'customer_archive'")
        assert cr.fetchone() == ("installed",)


def test_backup_script_refuses_a_wrong_keep_count():
    backup = _run("backup.sh", get_db_name(), "/nonexistent-backup-dir", BACKUP_KEEP="0")
    assert backup.returncode == 2
    assert "BACKUP_KEEP" in backup.stderr
    assert not os.path.exists("/nonexistent-backup-dir")


def _config_with_data_dir(directory, data_dir):
    """A copy of the test's Odoo configuration whose data_dir is ``data_dir``."""
    text = Path(config.rcfile).read_text()
    text = re.sub(r"(?m)^data_dir\s*=.*$", f"data_dir = {data_dir}", text)
    if f"data_dir = {data_dir}" not in text:
        text = text.replace("[options]", f"[options]\ndata_dir = {data_dir}", 1)
    path = Path(directory, "odoo.conf")
    path.write_text(text)
    return str(path)


def _stored_files(db):
    with odoo.sql_db.db_connect(db).cursor() as cr:
        cr.execute("SELECT DISTINCT store_fname FROM ir_attachment WHERE store_fname IS NOT NULL")
        return sorted(row[0] for row in cr.fetchall())


def test_backup_script_fails_when_the_filestore_is_elsewhere_or_partial():
    """A database with attachments whose files are not in the configured data_dir's filestore (a
    configuration of another checkout, a copy of the database without its files): the backup fails
    loudly and keeps nothing, instead of a zip without the files."""
    db = get_db_name()
    stored = _stored_files(db)
    assert stored, "the test database has attachments in its filestore (the web assets at least)"
    with tempfile.TemporaryDirectory() as directory:
        backups, data_dir = Path(directory, "backups"), Path(directory, "data")
        conf = _config_with_data_dir(directory, data_dir)
        # No filestore at all for the database under that data_dir.
        backup = _run("backup.sh", db, str(backups), ODOO_CONF=conf)
        assert backup.returncode == 1, backup.stderr
        assert f"of the {len(stored)} attachment files of database {db} are missing" in backup.stderr
        assert str(data_dir / "filestore" / db) in backup.stderr
        assert not list(backups.glob("*")), "nothing is kept"
        # A partial one: one file there, the others missing.
        first = Path(data_dir, "filestore", db, stored[0])
        first.parent.mkdir(parents=True)
        shutil.copyfile(Path(config.filestore(db), stored[0]), first)
        backup = _run("backup.sh", db, str(backups), ODOO_CONF=conf)
        assert backup.returncode == 1
        assert f"{len(stored) - 1} of the {len(stored)} attachment files" in backup.stderr
        assert not list(backups.glob("*"))


def test_run_script_backs_up_an_existing_database_before_updating_it():
    """run.sh on an existing database: backup.sh first, and no update when it fails."""
    script = (ROOT / "scripts" / "run.sh").read_text()
    existing = script[script.index("then\n") : script.index("\nelse\n")]
    backup_at = existing.index('scripts/backup.sh" "$DB"')
    assert backup_at < existing.index('-u "$ADDONS"')
    assert "exit 1" in existing[backup_at : existing.index('-u "$ADDONS"')]
