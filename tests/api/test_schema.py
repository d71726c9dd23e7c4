"""The OpenAPI description is generated from the code and checked in (docs/api/openapi.yaml, `make
openapi`): it must be what the code generates now, and valid OpenAPI 3."""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

CHECKED_IN = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"


def test_the_checked_in_schema_is_what_the_code_generates_and_it_validates(tmp_path):
    generated = tmp_path / "openapi.yaml"
    # As `make openapi` makes it: in Danish, validated, and any warning is an error.
    call_command("spectacular", "--lang", "da", "--validate", "--fail-on-warn", "--file", str(generated))
    assert generated.read_text() == CHECKED_IN.read_text(), (
        "docs/api/openapi.yaml is stale: run `make openapi`"
    )
    schema = yaml.safe_load(CHECKED_IN.read_text())
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for name in ("municipalities", "strategies", "hearings", "responses", "topics", "documents"):
        assert f"/api/v1/{name}/" in paths and f"/api/v1/{name}/{{id}}/" in paths
    assert "/api/v1/hearings/{id}/open-data.csv" in paths


@pytest.mark.django_db
def test_the_docs_are_served_from_our_own_static_files(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html and "<style" not in html
    # Swagger UI's start script is a file of its own: no inline script for the CSP to refuse.
    assert "<script>" not in html
    assert client.get("/api/v1/docs/?script=")["Content-Type"].startswith("application/javascript")


@pytest.mark.django_db
def test_the_api_root_names_every_list_the_docs_and_the_schema(client):
    root = client.get("/api/v1/").json()
    assert set(root) == {
        "municipalities",
        "strategies",
        "hearings",
        "responses",
        "topics",
        "documents",
        "docs",
        "schema",
    }
    assert root["docs"] == "http://testserver/api/v1/docs/"
    assert client.get("/api/v1/schema/").status_code == 200
