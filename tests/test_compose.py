"""Static checks of the deployment files: docker-compose.yml, Dockerfile, .dockerignore.

No Docker engine runs where the tests run, so nothing is built or started here:
  (a) docker-compose.yml is parsed with PyYAML and its structure asserted;
  (b) it is validated and rendered by a Compose CLI (`docker-compose config`), which needs no
      engine: `make test` installs Debian's package (Compose 1.29) when no Compose CLI is
      present; the `docker compose` v2 plugin is used instead when that is what is installed.
      Without its secrets the file must not render (safe by default), with them it must;
  (c) the Dockerfile is checked to install akhbar against constraints.txt and camel-tools
      with --no-deps.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
ENV_EXAMPLE = ROOT / "docker" / "env.example"

AIRFLOW_SERVICES = (
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-worker",
    "airflow-triggerer",
    "airflow-init",
)
REQUIRED_SERVICES = ("postgres", "redis", "warehouse") + AIRFLOW_SERVICES
LONG_RUNNING_AIRFLOW = tuple(s for s in AIRFLOW_SERVICES if s != "airflow-init")
INSTALL_HINT = (
    "No Compose CLI found: neither `docker-compose` nor the `docker compose` plugin. "
    "Install Debian's package: apt-get update && apt-get install -y docker-compose"
)


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def _env(service: dict) -> dict:
    env = service.get("environment") or {}
    if isinstance(env, list):  # ["KEY=value", ...] form
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def _depends_on(service: dict) -> list[str]:
    deps = service.get("depends_on") or []
    return list(deps) if isinstance(deps, (list, dict)) else []


def _compose_cli() -> list[str]:
    exe = shutil.which("docker-compose")
    if exe:
        return [exe]
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run(
            [docker, "compose", "version"], capture_output=True, text=True, timeout=30
        )
        if probe.returncode == 0:
            return [docker, "compose"]
    pytest.fail(INSTALL_HINT, pytrace=False)


def _run_compose(*args: str, env_file: Path) -> subprocess.CompletedProcess:
    # A clean environment and an explicit env file, so that neither the caller's variables
    # nor a developer's .env change what is checked.
    cmd = _compose_cli() + [
        "--env-file", str(env_file),
        "--project-directory", str(ROOT),
        "-f", str(COMPOSE_FILE),
        *args,
    ]
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(env_file.parent), "LANG": "C.UTF-8"}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=ROOT, env=env)


@pytest.fixture(scope="module")
def empty_env_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("compose") / "empty.env"
    path.write_text("", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def secrets_env_file(tmp_path_factory) -> Path:
    """The required secrets, freshly generated; everything else at its default."""
    import secrets

    path = tmp_path_factory.mktemp("compose") / "secrets.env"
    path.write_text("".join(f"{name}={secrets.token_hex(16)}\n" for name in REQUIRED_SECRETS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rendered(secrets_env_file) -> dict:
    """The file as Compose resolves it with the secrets set and the rest at its defaults."""
    result = _run_compose("config", env_file=secrets_env_file)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


# --------------------------------------------------------------------------- (a) structure


def test_all_services_present(services):
    missing = [name for name in REQUIRED_SERVICES if name not in services]
    assert not missing, f"services missing from docker-compose.yml: {missing}"


def test_common_anchor_is_used(compose):
    assert "x-airflow-common" in compose
    common = compose["x-airflow-common"]
    assert _env(common), "x-airflow-common has no environment"


def test_every_airflow_service_uses_the_built_image(compose, services):
    common = compose["x-airflow-common"]
    for name in AIRFLOW_SERVICES:
        svc = services[name]
        build = svc.get("build")
        context = build.get("context") if isinstance(build, dict) else build
        assert context in (".", "./"), f"{name} is not built from the repo's Dockerfile: {build!r}"
        assert svc.get("image") == common["image"], f"{name} does not use the common image tag"


def test_executor_is_celery_everywhere(services):
    for name in AIRFLOW_SERVICES:
        assert _env(services[name]).get("AIRFLOW__CORE__EXECUTOR") == "CeleryExecutor", name
    assert services["airflow-worker"]["command"] == "celery worker"
    celery_env = _env(services["airflow-scheduler"])
    assert celery_env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
    assert "@postgres/" in celery_env["AIRFLOW__CELERY__RESULT_BACKEND"]


def test_jwt_secret_and_execution_api_url(services):
    for name in AIRFLOW_SERVICES:
        env = _env(services[name])
        secret = env.get("AIRFLOW__API_AUTH__JWT_SECRET")
        assert secret, f"{name}: AIRFLOW__API_AUTH__JWT_SECRET not set"
        # Taken from the environment, and required: no public default.
        assert re.fullmatch(r"\$\{\w+:\?[^}]+\}", secret), f"{name}: JWT secret must be required"
        assert env.get("AIRFLOW__CORE__EXECUTION_API_SERVER_URL") == (
            "http://airflow-apiserver:8080/execution/"
        ), name
    # The warning that the default must be changed sits next to it.
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    before = text[: text.index("AIRFLOW__API_AUTH__JWT_SECRET:")]
    assert "CHANGE IT" in "\n".join(before.splitlines()[-5:]), "say next to the JWT secret to change it"


def test_airflow_core_settings(services):
    env = _env(services["airflow-scheduler"])
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] in ("false", "False", False)
    assert "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION" in env
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
    assert "@postgres/" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]


def test_the_warehouse_is_an_airflow_connection_created_once_not_an_env_override(services):
    for name in AIRFLOW_SERVICES:
        env = _env(services[name])
        # an AIRFLOW_CONN_ variable would win over the metadata DB: UI edits would do nothing
        assert "AIRFLOW_CONN_AKHBAR_WAREHOUSE" not in env, name
        feeds = env.get("AKHBAR_FEEDS", "")
        assert "config/feeds.sample.yaml" in feeds and feeds.startswith("${AKHBAR_FEEDS:-"), name
    for name in LONG_RUNNING_AIRFLOW:
        assert "AKHBAR_WAREHOUSE_URL" not in _env(services[name]), name
    init = services["airflow-init"]
    script = "\n".join(init["command"]) if isinstance(init["command"], list) else init["command"]
    assert "airflow connections add akhbar_warehouse" in script
    assert "airflow pools set akhbar_page_fetches" in script
    assert _env(init)["AKHBAR_WAREHOUSE_URL"].startswith("postgresql://")


def test_config_dir_is_mounted(services):
    for name in AIRFLOW_SERVICES:
        volumes = [str(v) for v in services[name].get("volumes", [])]
        assert any(re.search(r":/opt/airflow/config(:ro)?$", v) for v in volumes), (
            f"{name} does not mount the config folder"
        )


def test_warehouse_is_a_separate_postgres16(compose, services):
    wh = services["warehouse"]
    assert str(wh["image"]).startswith("postgres:16")
    wh_volumes = {str(v).split(":")[0] for v in wh.get("volumes", [])}
    pg_volumes = {str(v).split(":")[0] for v in services["postgres"].get("volumes", [])}
    assert wh_volumes and not (wh_volumes & pg_volumes), "warehouse must have its own volume"
    for vol in wh_volumes | pg_volumes:
        assert vol in (compose.get("volumes") or {}), f"named volume {vol} not declared"


def test_depends_on_references_exist(services):
    for name, svc in services.items():
        for dep in _depends_on(svc):
            assert dep in services, f"{name} depends on unknown service {dep!r}"
            assert dep != name


def test_airflow_services_wait_for_init_and_backends(services):
    for name in LONG_RUNNING_AIRFLOW:
        deps = services[name]["depends_on"]
        assert deps["airflow-init"]["condition"] == "service_completed_successfully", name
        for backend in ("postgres", "redis", "warehouse"):
            assert deps[backend]["condition"] == "service_healthy", (name, backend)


def test_healthchecks(services):
    for name in ("postgres", "redis", "warehouse") + LONG_RUNNING_AIRFLOW:
        hc = services[name].get("healthcheck")
        assert hc and hc.get("test"), f"{name} has no healthcheck"


def test_apiserver(services):
    api = services["airflow-apiserver"]
    assert api["command"] == "api-server"
    assert [str(p) for p in api["ports"]] == ["${AIRFLOW_API_BIND:-127.0.0.1}:${AIRFLOW_API_PORT:-8080}:8080"]
    assert services["airflow-dag-processor"]["command"] == "dag-processor"
    assert services["airflow-scheduler"]["command"] == "scheduler"
    assert services["airflow-triggerer"]["command"] == "triggerer"


def test_init_migrates_airflow_and_warehouse(services):
    init = services["airflow-init"]
    script = "\n".join(init["command"]) if isinstance(init["command"], list) else init["command"]
    assert "akhbar migrate" in script
    assert "/entrypoint airflow version" in script  # runs `airflow db migrate` + user creation
    env = _env(init)
    assert env["_AIRFLOW_DB_MIGRATE"] == "true"
    assert env["_AIRFLOW_WWW_USER_CREATE"] == "true"
    assert init["depends_on"]["warehouse"]["condition"] == "service_healthy"


# --------------------------------------------------------------------------- (b) Compose CLI


REQUIRED_SECRETS = ("AIRFLOW_JWT_SECRET", "AIRFLOW_API_SECRET_KEY", "AIRFLOW_FERNET_KEY", "AIRFLOW_DB_PASSWORD",
                    "_AIRFLOW_WWW_USER_PASSWORD", "AKHBAR_WAREHOUSE_PASSWORD", "AKHBAR_ANALYST_PASSWORD")


@pytest.mark.parametrize("missing", REQUIRED_SECRETS)
def test_compose_refuses_to_start_without_each_secret(secrets_env_file, tmp_path, missing):
    lines = [l for l in secrets_env_file.read_text().splitlines() if not l.startswith(missing + "=")]
    env_file = tmp_path / "partial.env"
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run_compose("config", "-q", env_file=env_file)
    assert result.returncode != 0
    assert missing in result.stderr, result.stderr


def test_compose_refuses_to_start_with_nothing_set(empty_env_file):
    result = _run_compose("config", "-q", env_file=empty_env_file)
    assert result.returncode != 0 and "AIRFLOW_" in result.stderr, result.stderr


def test_compose_config_passes_with_the_secrets_set(secrets_env_file):
    result = _run_compose("config", "-q", env_file=secrets_env_file)
    assert result.returncode == 0, f"`config -q` failed:\n{result.stderr}"
    assert "variable is not set" not in result.stderr, result.stderr


def test_env_example_alone_does_not_start_the_stack():
    """Its secrets are blank on purpose: copying it unchanged must not give a running server."""
    result = _run_compose("config", "-q", env_file=ENV_EXAMPLE)
    assert result.returncode != 0, result.stdout


def test_api_server_is_published_on_loopback_by_default(rendered):
    (port,) = rendered["services"]["airflow-apiserver"]["ports"]
    assert (str(port.get("host_ip")) if isinstance(port, dict) else str(port)).startswith("127.0.0.1")


def test_rendered_warehouse_urls_match_the_warehouse_service(rendered):
    services = rendered["services"]
    wh_env = _env(services["warehouse"])
    for name in AIRFLOW_SERVICES:
        env = _env(services[name])
        assert env["AKHBAR_FEEDS"] == "/opt/airflow/config/feeds.sample.yaml"
        assert env["AIRFLOW__API_AUTH__JWT_SECRET"], name
    for name in ("airflow-init",):
        env = _env(services[name])
        parts = urlsplit(env["AKHBAR_WAREHOUSE_URL"])
        assert parts.scheme in ("postgres", "postgresql")
        assert parts.hostname == "warehouse" and (parts.port or 5432) == 5432
        assert parts.username == wh_env["POSTGRES_USER"]
        assert parts.password == wh_env["POSTGRES_PASSWORD"]
        assert parts.path.lstrip("/") == wh_env["POSTGRES_DB"]


def test_rendered_jwt_secret_is_shared(rendered):
    secrets = {_env(rendered["services"][n])["AIRFLOW__API_AUTH__JWT_SECRET"] for n in AIRFLOW_SERVICES}
    assert len(secrets) == 1, "all Airflow components must share one JWT secret"


# --------------------------------------------------------------------------- (c) Dockerfile


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs with continuation lines joined and comments dropped."""
    logical, buf = [], ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not buf and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # comment inside a continued instruction
            continue
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        logical.append(buf)
        buf = ""
    out = []
    for item in logical:
        instr, _, args = item.partition(" ")
        out.append((instr.upper(), args.strip()))
    return out


def _pip_installs() -> list[str]:
    cmds = []
    for instr, args in _dockerfile_instructions():
        if instr == "RUN":
            cmds += [c.strip() for c in re.split(r"&&|;", args) if "pip install" in c]
    return cmds


def test_dockerfile_base_image():
    instrs = _dockerfile_instructions()
    args = dict(
        a.split("=", 1) for i, a in instrs if i == "ARG" and "=" in a
    )
    froms = [a.split()[0] for i, a in instrs if i == "FROM"]
    resolved = [re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), f) for f in froms]
    assert resolved, "no FROM"
    assert resolved[-1] == "apache/airflow:3.3.2-python3.11", resolved


def test_dockerfile_installs_project_with_constraints():
    installs = _pip_installs()
    project = [c for c in installs if '".[airflow]"' in c or "'.[airflow]'" in c or " .[airflow]" in c]
    assert project, f"no `pip install .[airflow]` in the Dockerfile: {installs}"
    for cmd in project:
        assert re.search(r"(--constraint|-c)[ =]constraints\.txt", cmd), cmd
        assert "--no-cache-dir" in cmd, cmd


def test_dockerfile_installs_camel_tools_without_deps():
    installs = _pip_installs()
    camel = [c for c in installs if "camel-tools" in c or "camel_tools" in c]
    assert camel, "camel-tools is not installed in the Dockerfile"
    for cmd in camel:
        assert "--no-deps" in cmd, f"camel-tools must be installed with --no-deps: {cmd}"
        assert "camel-tools==1.6.0" in cmd, cmd


def test_dockerfile_copies_airflow_folders():
    copies = [a for i, a in _dockerfile_instructions() if i == "COPY"]
    for folder in ("dags", "plugins", "config"):
        assert any(re.search(rf"(^|\s){folder}/?\s+/opt/airflow/{folder}/?$", c) for c in copies), folder


def test_dockerignore_keeps_what_the_build_needs():
    patterns = {
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    needed = {"constraints.txt", "pyproject.toml", "README.md", "akhbar", "extract", "transform",
              "load", "sql", "dags", "plugins", "config"}
    assert not (needed & patterns), f".dockerignore excludes {needed & patterns}"
    assert {".git", ".venv"} <= patterns
    assert ".akhbar" in patterns  # local secrets and data of `make run` stay out of the image
