"""The import contract of pyproject.toml (`make lint` runs import-linter on it) names every
domain: a domain added to DOMAINS without being added there would escape it."""

from __future__ import annotations

import tomllib
from pathlib import Path

from community import DOMAINS

CONTRACTS = {
    contract["id"]: contract
    for contract in tomllib.loads(
        (Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    )["tool"]["importlinter"]["contracts"]
}


def _domains(*leaving_out: str) -> set[str]:
    return {f"community.{domain}" for domain in DOMAINS if domain not in leaving_out}


def test_core_may_import_no_domain() -> None:
    contract = CONTRACTS["core-imports-no-domain"]
    assert "community.core" in contract["source_modules"]
    assert set(contract["forbidden_modules"]) == _domains("core")


def test_no_domain_may_import_notifications() -> None:
    contract = CONTRACTS["no-domain-imports-notifications"]
    assert set(contract["source_modules"]) == _domains("core", "notifications")
    assert contract["forbidden_modules"] == ["community.notifications"]


def test_core_and_notifications_contracts_forbid_indirect_imports_too() -> None:
    assert all(
        not contract.get("allow_indirect_imports") for contract in list(CONTRACTS.values())[:2]
    )
