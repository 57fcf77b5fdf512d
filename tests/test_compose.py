"""docker-compose.yml, Dockerfile and .env.example, checked for structure (no Docker needed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent
_VARIABLE = re.compile(r"\$\{(\w+)(?::?[-?+][^}]*)?\}")
_ONLY_VARIABLES = re.compile(r"^(?:\$\{\w+(?::?[-?+][^}]*)?\}|/)+$")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): str(v) for k, v in env.items()}


def _env_example() -> dict[str, str]:
    pairs = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def _published(port) -> tuple[str | None, str]:
    """(host ip, rest) of a short or long port entry."""
    if isinstance(port, dict):
        return port.get("host_ip"), str(port.get("published"))
    text = str(port)
    match = re.match(r"^(\d+\.\d+\.\d+\.\d+|\[[^\]]+\]):(.+)$", text)
    return (match.group(1), match.group(2)) if match else (None, text)


def test_services_and_images(compose):
    services = compose["services"]
    assert set(services) == {"neo4j", "app"}
    assert services["neo4j"]["image"] == "neo4j:5-community"
    build = services["app"]["build"]
    assert (build if isinstance(build, str) else build["context"]) == "."
    assert (ROOT / (build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile")).exists()


def test_neo4j_healthcheck_probes_the_server(compose):
    check = compose["services"]["neo4j"]["healthcheck"]
    test = check["test"]
    assert test[0] in ("CMD", "CMD-SHELL")
    command = " ".join(test[1:])
    assert ("wget" in command and "7474" in command) or "cypher-shell" in command
    for field in ("interval", "timeout", "retries", "start_period"):
        assert field in check


def test_app_waits_for_a_healthy_neo4j(compose):
    depends = compose["services"]["app"]["depends_on"]
    assert depends["neo4j"]["condition"] == "service_healthy"


def test_every_port_is_bound_to_loopback(compose):
    published = []
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            host, rest = _published(port)
            assert host == "127.0.0.1", f"{name} publishes {port!r} beyond loopback"
            published.append(rest.split(":")[0])
    assert {"7474", "7687", "8501"} <= set(published)


def test_credentials_come_from_the_environment(compose):
    neo4j_env = _environment(compose["services"]["neo4j"])
    auth = neo4j_env["NEO4J_AUTH"]
    assert _VARIABLE.findall(auth) == ["NEO4J_USER", "NEO4J_PASSWORD"]
    assert _ONLY_VARIABLES.match(auth), auth
    app_env = _environment(compose["services"]["app"])
    assert _VARIABLE.findall(app_env["NEO4J_USER"]) == ["NEO4J_USER"]
    assert _VARIABLE.findall(app_env["NEO4J_PASSWORD"]) == ["NEO4J_PASSWORD"]


def test_no_literal_secret_anywhere(compose):
    for name, service in compose["services"].items():
        for key, value in _environment(service).items():
            if re.search(r"PASS|AUTH|SECRET|TOKEN", key):
                assert _ONLY_VARIABLES.match(value), f"{name}.{key} holds a literal value"
    text = (ROOT / "docker-compose.yml").read_text()
    placeholder = _env_example()["NEO4J_PASSWORD"]
    assert placeholder not in text
    assert "neo4j/" not in text.replace("neo4j/neo4j-admin", "")  # no NEO4J_AUTH=neo4j/<password>


def test_data_and_logs_on_named_volumes(compose):
    mounts = compose["services"]["neo4j"]["volumes"]
    targets = {m.split(":")[1]: m.split(":")[0] for m in mounts}
    assert {"/data", "/logs"} <= set(targets)
    for target in ("/data", "/logs"):
        assert targets[target] in compose["volumes"], f"{target} is not on a named volume"


def test_app_builds_the_sample_and_serves_on_all_container_interfaces(compose):
    command = compose["services"]["app"]["command"]
    text = command if isinstance(command, str) else " ".join(command)
    assert "kg build data/sample/hf-papers-listing.txt --store bolt://neo4j:7687" in text
    assert "kg app --store bolt://neo4j:7687 --address 0.0.0.0" in text
    assert (ROOT / "data/sample/hf-papers-listing.txt").exists()


def test_env_example_defines_every_variable_and_env_is_ignored(compose):
    text = (ROOT / "docker-compose.yml").read_text()
    example = _env_example()
    assert set(_VARIABLE.findall(text)) <= set(example)
    assert example["NEO4J_USER"] == "neo4j"  # the image's first admin user
    assert len(example["NEO4J_PASSWORD"]) >= 8  # Neo4j 5's minimum
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert ".env" in ignored
    assert ".env" in (ROOT / ".dockerignore").read_text().splitlines()


def test_dockerfile_installs_the_package_on_python_311_slim():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    assert lines[[i for i, line in enumerate(lines) if line and not line.startswith("#")][0]] == \
        "FROM python:3.11-slim"
    assert any(re.match(r"^RUN pip install( --no-cache-dir)? \.$", line) for line in lines)
    assert any(line.startswith("USER ") and "root" not in line for line in lines)
    assert "8501" in " ".join(lines)
