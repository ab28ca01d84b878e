import json
import logging
import os
import re
import subprocess
import tempfile
import time
import zipfile
from datetime import UTC, datetime

from odoo import api, models, release
from odoo.exceptions import UserError
from odoo.tools import SQL, config
from odoo.tools.misc import exec_pg_environ, find_pg_tool

_logger = logging.getLogger(__name__)

# Odoo's database manager names its backups <db>_<YYYY-MM-DD_HH-MM-SS>.zip; so do we (in UTC), so that
# names sort in time order and scripts/backup.sh and this cron share one directory layout.
STAMP_FORMAT = "%Y-%m-%d_%H-%M-%S"
STAMP_PATTERN = r"\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}"
DEFAULT_KEEP = 7


class CustomerArchiveBackup(models.AbstractModel):
    """Scheduled backup of the database and its filestore in Odoo's own backup format (the zip of the
    database manager: dump.sql, filestore/, manifest.json), for installations whose database is not
    backed up by a managed service. Configured only in the server configuration file, never in the
    database, so that nobody with database access can redirect or silence backups:

        customer_archive_backup_dir = /var/backups/odoo   (no option: no backup)
        customer_archive_backup_keep = 7                  (newest backups of each database kept)
    """

    _name = "customer.archive.backup"
    _description = "Scheduled Database Backup"

    @api.model
    def _backup_settings(self):
        """(directory, keep) from the server configuration; directory is None when backups are off."""
        directory = config.get("customer_archive_backup_dir")
        if not directory or directory in ("False", "None"):
            return None, DEFAULT_KEEP
        keep = config.get("customer_archive_backup_keep") or DEFAULT_KEEP
        try:
            keep = int(keep)
        except (TypeError, ValueError):
            keep = 0
        if keep < 1:
            raise UserError(
                self.env._(
                    "customer_archive_backup_keep must be a whole number of at least 1, not %(keep)s.",
                    keep=config.get("customer_archive_backup_keep"),
                )
            )
        return os.path.abspath(os.path.expanduser(directory)), keep

    @api.model
    def _cron_backup(self):
        """Write <db>_<UTC timestamp>.zip into the configured directory and keep the newest ones.
        Returns the path of the new backup, or None when no backup directory is configured."""
        directory, keep = self._backup_settings()
        if not directory:
            _logger.debug("customer_archive_backup_dir is not set: no scheduled backup")
            return None
        self._check_backup_dir(directory)
        path = self._write_backup(directory)
        removed = self._prune_backups(directory, keep)
        _logger.info(
            "Backup of database %s written to %s (%d bytes); %d older backup(s) removed, %d kept at most",
            self.env.cr.dbname,
            path,
            os.path.getsize(path),
            len(removed),
            keep,
        )
        return path

    @api.model
    def _check_backup_dir(self, directory):
        try:
            os.makedirs(directory, exist_ok=True)
            # os.access() says yes to root whatever the mode: try to write instead.
            with tempfile.TemporaryFile(dir=directory):
                pass
        except OSError as error:
            _logger.error("Backup directory %s is not writable: %s", directory, error)
            raise UserError(
                self.env._(
                    "The backup directory %(directory)s cannot be written to (%(error)s). Fix "
                    "customer_archive_backup_dir in the server configuration file or the directory's "
                    "permissions.",
                    directory=directory,
                    error=error.strerror or error,
                )
            ) from error

    @api.model
    def _manifest(self):
        """The manifest.json Odoo's database manager writes: database, versions, installed modules."""
        cr = self.env.cr
        cr.execute(SQL("SELECT name, latest_version FROM ir_module_module WHERE state = 'installed'"))
        major, minor = divmod(cr._cnx.server_version // 100, 100)  # as Odoo writes it: 160004 -> "16.0"
        return {
            "odoo_dump": "1",
            "db_name": cr.dbname,
            "version": release.version,
            "version_info": release.version_info,
            "major_version": release.major_version,
            "pg_version": f"{major}.{minor}",
            "modules": dict(cr.fetchall()),
        }

    @api.model
    def _write_backup(self, directory):
        """Dump the database and its filestore into a zip in Odoo's format, written under a temporary
        name in `directory` and renamed when complete, so that a backup's name means it is whole.

        Odoo's own dump_db() is refused when the database manager is disabled (list_db = False, as it
        should be in production), so the same zip is built here from the same pieces."""
        dbname = self.env.cr.dbname
        final = os.path.join(directory, f"{dbname}_{datetime.now(UTC).strftime(STAMP_FORMAT)}.zip")
        fd, partial = tempfile.mkstemp(dir=directory, prefix=f".{dbname}_partial_", suffix=".zip.part")
        os.close(fd)
        try:
            with tempfile.TemporaryDirectory() as work:
                sql = os.path.join(work, "dump.sql")
                # pg_dump reads one consistent snapshot; the filestore is copied after it, so every file
                # the dump refers to is in the zip (files added meanwhile are harmless extras).
                result = subprocess.run(
                    [find_pg_tool("pg_dump"), "--no-owner", f"--file={sql}", dbname],
                    env=exec_pg_environ(),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    check=False,
                )
                if result.returncode:
                    message = result.stderr.decode(errors="replace").strip()
                    _logger.error("pg_dump of database %s failed: %s", dbname, message)
                    raise UserError(
                        self.env._(
                            "The backup of database %(db)s failed: pg_dump said: %(message)s",
                            db=dbname,
                            message=message,
                        )
                    )
                with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
                    zf.write(sql, "dump.sql")  # first, as Odoo's database manager writes it
                    zf.writestr("manifest.json", json.dumps(self._manifest(), indent=4))
                    self._zip_filestore(zf, config.filestore(dbname))
            os.replace(partial, final)
        except BaseException:
            if os.path.exists(partial):
                os.unlink(partial)
            raise
        return final

    @api.model
    def _zip_filestore(self, zf, filestore):
        for dirpath, dirnames, filenames in os.walk(filestore):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                arcname = os.path.join("filestore", os.path.relpath(path, filestore))
                try:
                    zf.write(path, arcname)
                except FileNotFoundError:
                    continue  # removed by Odoo's filestore garbage collector while we were walking

    @api.model
    def _prune_backups(self, directory, keep):
        """Remove this database's backups beyond the newest `keep`, and its partial backups left by a
        backup that was killed (e.g. by limit_time_real_cron) a day or more ago; other files are left
        alone."""
        dbname = re.escape(self.env.cr.dbname)
        pattern = re.compile(rf"^{dbname}_{STAMP_PATTERN}\.zip$")
        # mkstemp() adds 8 characters: the length tells this database's partial files from others'.
        partial = re.compile(rf"^\.{dbname}_partial_[a-z0-9_]{{8}}\.zip\.part$")
        names = os.listdir(directory)
        backups = sorted((name for name in names if pattern.match(name)), reverse=True)
        removed = []
        for name in backups[keep:]:
            os.unlink(os.path.join(directory, name))
            _logger.info("Old backup %s removed (%d kept)", name, keep)
            removed.append(name)
        day_ago = time.time() - 24 * 3600
        for name in names:
            path = os.path.join(directory, name)
            if partial.match(name) and os.path.getmtime(path) < day_ago:
                os.unlink(path)
                _logger.info("Partial backup %s of an interrupted run removed", name)
        return removed
