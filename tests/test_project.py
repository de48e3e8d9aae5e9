"""Project-level guarantees: migrations, the checked-in schema, settings."""

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from graphene_django.settings import graphene_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_no_pending_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_checked_in_schema_matches_the_code():
    """schema.graphql is the contract frontends code against. Regenerate it
    with `make schema` when the API changes on purpose."""
    checked_in = (ROOT / "schema.graphql").read_text()
    assert checked_in.strip() == str(graphene_settings.SCHEMA).strip()


def run_manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "DATABASE_URL": "sqlite:///:memory:",
}


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_secrets(missing):
    present = {"SECRET_KEY": "a" * 64, "ALLOWED_HOSTS": "guides.example.org"}
    del present[missing]
    result = run_manage("check", env_overrides={**PRODUCTION, **present})
    assert result.returncode != 0
    assert f"{missing} must be set in the environment for production settings." in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            **PRODUCTION,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "guides.example.org",
        },
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_graphiql_is_off_unless_enabled(client, settings):
    assert settings.GRAPHIQL_ENABLED is False
    assert client.get("/graphiql/", HTTP_ACCEPT="text/html").status_code == 404


@pytest.mark.django_db
def test_health_endpoint_checks_the_database(client):
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "Database" in response.content.decode()
