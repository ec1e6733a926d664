"""The contract in the repository stays whole: every signal is listed in docs/signals.md, and
the README's links lead to files of the repository (a clone has nothing beside it)."""

from __future__ import annotations

import re
from pathlib import Path

from community.core.signals import all_signals

ROOT = Path(__file__).parents[2]


def test_every_signal_is_listed(app) -> None:  # type: ignore[no-untyped-def]
    listed = (ROOT / "docs" / "signals.md").read_text(encoding="utf-8")
    missing = [name for name in all_signals() if f"`{name}`" not in listed]
    assert missing == []


def test_readme_and_contributing_links_stay_in_the_repository() -> None:
    for page in ("README.md", "CONTRIBUTING.md", "docs/architecture.md"):
        text = (ROOT / page).read_text(encoding="utf-8")
        assert "../shared" not in text, page
        for target in re.findall(r"\]\(([^)#]+)\)", text):
            if "://" not in target:
                assert (ROOT / page).parent.joinpath(target).exists(), (page, target)
