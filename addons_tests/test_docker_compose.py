"""The Docker deployment in docker/: what the compose file names exists and fits together (no Docker
needed: the files are read, not run)."""

import configparser
import re
import string
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / "docker"
ADDONS = ("customer_archive", "customer_credit")
ODOO_SERVICES = ("odoo-init", "odoo", "backup")


def compose():
    return yaml.safe_load((DOCKER / "docker-compose.yml").read_text())


def services():
    return compose()["services"]


def entrypoint_text():
    return (DOCKER / "entrypoint.sh").read_text()


def entrypoint_defaults():
    """The variables entrypoint.sh exports with a default: export NAME="${NAME:-default}"."""
    return dict(re.findall(r'^export (\w+)="\$\{\1:-([^}]*)\}"', entrypoint_text(), re.M))


def host_mounts(service):
    """(host path, container path) of the bind mounts of a service."""
    mounts = []
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        if source.startswith((".", "/")):
            mounts.append(((DOCKER / source).resolve(), target))
    return mounts


def container_file(service, path):
    """The host file mounted at `path` in the container of `service`, or None."""
    for host, target in host_mounts(service):
        if path == target:
            return host
        if path.startswith(target.rstrip("/") + "/"):
            return host / path[len(target.rstrip("/")) + 1 :]
    return None


def default_of(value):
    """The default of a compose interpolation such as ${NAME:-7}."""
    match = re.fullmatch(r"\$\{\w+:-([^}]*)\}", str(value))
    return match.group(1) if match else value


def test_services_use_the_official_images():
    svc = services()
    assert set(svc) >= {"db", *ODOO_SERVICES, "proxy"}
    assert svc["db"]["image"] == "postgres:16"
    for name in ODOO_SERVICES:
        # The official image with the addons' Python requirements added (docker/Dockerfile).
        assert svc[name]["image"] == "customer-archive-odoo:18.0", name
        build = svc[name]["build"]
        dockerfile = (DOCKER / build["context"] / build["dockerfile"]).resolve()
        instructions = [line for line in dockerfile.read_text().splitlines() if not line.startswith("#")]
        assert instructions[:2] == ["FROM odoo:18.0", "USER root"]
        assert (DOCKER / build["context"] / "requirements.txt").is_file()
        assert "COPY requirements.txt /opt/customer-archive/requirements.txt" in instructions
        assert "pip3 install" in dockerfile.read_text()
    assert svc["proxy"]["image"].startswith("nginx:")


def test_mounted_host_paths_exist_and_named_volumes_are_declared():
    declared = set(compose()["volumes"])
    for name, service in services().items():
        for host, _target in host_mounts(service):
            assert host.exists(), f"{name} mounts {host}, which does not exist"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} uses the undeclared volume {source}"


def test_both_addons_are_mounted_into_the_image_addons_path():
    for name in ODOO_SERVICES:
        service = services()[name]
        for addon in ADDONS:
            manifest = container_file(service, f"/mnt/extra-addons/{addon}/__manifest__.py")
            assert manifest == ROOT / addon / "__manifest__.py" and manifest.exists(), (name, addon)
    assert entrypoint_defaults()["ODOO_ADDONS_PATH"] == "/mnt/extra-addons"


def test_commands_and_healthchecks_name_scripts_that_exist():
    script = entrypoint_text()
    for name in ODOO_SERVICES:
        service = services()[name]
        entrypoint = service["entrypoint"]
        assert entrypoint[0] == "bash"
        assert container_file(service, entrypoint[1]) == DOCKER / "entrypoint.sh"
        # The command is one the entry point knows.
        command = service["command"][0]
        assert re.search(rf"^\s+{re.escape(command)}\)", script, re.M), f"{name}: {command}"
    health = services()["backup"]["healthcheck"]["test"]
    assert container_file(services()["backup"], health[2]) == DOCKER / "entrypoint.sh"
    assert health[3] == "backup-health" and "backup-health" in script
    template = container_file(services()["odoo"], "/opt/customer-archive/odoo.conf.template")
    assert template == DOCKER / "odoo.conf"
    for name in ("db", "odoo", "backup", "proxy"):
        assert services()[name]["healthcheck"]["test"], name


def test_init_service_installs_both_addons_and_exits():
    init = services()["odoo-init"]
    assert init["command"] == ["init"]
    assert init["restart"] == "no"
    assert init["depends_on"]["db"]["condition"] == "service_healthy"
    script = entrypoint_text()
    assert f"ADDONS={','.join(ADDONS)}" in script
    init_function = script[script.index("init() {") : script.index("\n}\n", script.index("init() {"))]
    assert '-i "$ADDONS"' in init_function
    assert "--stop-after-init" in script
    # Demo data only on demand.
    assert "ODOO_DEMO" in init["environment"]
    assert "--without-demo=all" in init_function
    assert "new_demo=(--without-demo)" in init_function
    assert '"${new_demo[@]}"' in init_function.split("new_database.py", 1)[1]


def test_a_new_database_is_created_with_its_company_in_odoo_country():
    """Odoo chooses the chart of accounts from the company's country when the accounting is
    installed: the init service creates a missing database with scripts/new_database.py, the
    company in ODOO_COUNTRY (default CN: CNY, China's chart of accounts)."""
    init = services()["odoo-init"]
    assert default_of(init["environment"]["ODOO_COUNTRY"]) == "CN"
    assert entrypoint_defaults()["ODOO_COUNTRY"] == "CN"
    script = entrypoint_text()
    init_function = script[script.index("init() {") : script.index("\n}\n", script.index("init() {"))]
    call = re.search(r'python3 "\$APP_DIR/new_database.py" (.*?)\n\s*--lang', init_function, re.S)
    assert call and '--country "$ODOO_COUNTRY"' in call.group(1)
    script_path = container_file(init, "/opt/customer-archive/new_database.py")
    assert script_path == ROOT / "scripts" / "new_database.py"
    assert "ODOO_COUNTRY=CN" in (DOCKER / ".env.example").read_text()


def test_odoo_and_backup_wait_for_the_initialisation():
    for name in ("odoo", "backup"):
        depends = services()[name]["depends_on"]
        assert depends["odoo-init"]["condition"] == "service_completed_successfully", name
        assert depends["db"]["condition"] == "service_healthy", name


def test_configuration_has_multi_worker_settings_and_renders():
    template = (DOCKER / "odoo.conf").read_text()
    environment = {**entrypoint_defaults(), **services()["odoo"]["environment"]}
    environment = {key: default_of(value) for key, value in environment.items()}
    secrets = {"POSTGRES_PASSWORD", "ODOO_ADMIN_PASSWD", "CUSTOMER_ARCHIVE_ENCRYPTION_KEY"}
    # Every variable of the template has a default or comes from the compose file.
    used = set(re.findall(r"\$\{(\w+)\}", template))
    assert used <= set(environment), used - set(environment)
    rendered = string.Template(template).substitute({**environment, **dict.fromkeys(secrets, "secret")})
    parser = configparser.RawConfigParser()
    parser.read_string(rendered)
    options = dict(parser.items("options"))
    assert int(options["workers"]) >= 2
    assert int(options["max_cron_threads"]) >= 1
    assert int(options["limit_memory_soft"]) < int(options["limit_memory_hard"])
    assert int(options["limit_time_cpu"]) <= int(options["limit_time_real"])
    assert options["proxy_mode"] == "True"
    assert options["list_db"] == "False"
    assert options["dbfilter"] == f"^{environment['ODOO_DB']}$"
    assert options["db_host"] == "db"
    assert options["db_user"] == "odoo"
    assert options["db_password"] == "secret"
    assert options["addons_path"] == "/mnt/extra-addons"
    assert options["data_dir"] == "/var/lib/odoo"
    assert options["gevent_port"] == "8072"
    assert options["customer_archive_encryption_key"] == "secret"


def test_secrets_come_from_the_git_ignored_env_file():
    environment = services()["odoo"]["environment"]
    for name in ("POSTGRES_PASSWORD", "ODOO_ADMIN_PASSWD", "CUSTOMER_ARCHIVE_ENCRYPTION_KEY"):
        # ${NAME:?message}: compose refuses to start without it; no value is written in the file.
        assert re.fullmatch(rf"\$\{{{name}:\?[^}}]+\}}", environment[name]), name
    example = dict(
        line.split("=", 1)
        for line in (DOCKER / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert example["CUSTOMER_ARCHIVE_ENCRYPTION_KEY"] == ""
    assert example["POSTGRES_PASSWORD"] == ""
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "docker/.env" in ignored
    assert "Fernet.generate_key()" in (DOCKER / "README.md").read_text()


def test_backup_job_keeps_a_retention_count():
    backup = services()["backup"]
    assert backup["command"] == ["backup-loop"]
    assert int(default_of(backup["environment"]["BACKUP_KEEP"])) >= 1
    assert int(default_of(backup["environment"]["BACKUP_INTERVAL_HOURS"])) >= 1
    assert any(target == "/backups" for target in (v.split(":")[1] for v in backup["volumes"]))
    assert backup["environment"]["BACKUP_DIR"] == "/backups"
    script = entrypoint_text()
    assert 'odoo db -c "$CONF" dump' in script  # Odoo's own backup format
    assert "tail -n +$((BACKUP_KEEP + 1))" in script


def test_proxy_sends_the_websocket_to_the_gevent_port():
    nginx = (DOCKER / "nginx.conf").read_text()
    assert container_file(services()["proxy"], "/etc/nginx/conf.d/default.conf") == DOCKER / "nginx.conf"
    assert "server odoo:8069;" in nginx and "server odoo:8072;" in nginx
    websocket = nginx[nginx.index("location /websocket") :]
    assert "proxy_pass http://odoo_websocket;" in websocket.split("}")[0]
    assert set(services()["odoo"]["expose"]) == {"8069", "8072"}


def test_read_replica_is_optional_and_reaches_odoo():
    template = (DOCKER / "odoo.conf").read_text()
    environment = {**entrypoint_defaults(), **services()["odoo"]["environment"]}
    environment = {key: default_of(value) for key, value in environment.items()}

    def rendered(**values):
        parser = configparser.RawConfigParser()
        parser.read_string(string.Template(template).substitute({**environment, **values}))
        return dict(parser.items("options"))

    # None by default: Odoo reads "False" as no replica.
    assert rendered()["db_replica_host"] == "False"
    assert entrypoint_defaults()["POSTGRES_REPLICA_HOST"] == "False"
    options = rendered(POSTGRES_REPLICA_HOST="standby", POSTGRES_REPLICA_PORT="5433")
    assert (options["db_replica_host"], options["db_replica_port"]) == ("standby", "5433")
    for name in ODOO_SERVICES:
        assert "POSTGRES_REPLICA_HOST" in services()[name]["environment"], name
