"""The profile at 360 × 740: the access tokens are folded away, the keyboard opens them."""

from __future__ import annotations

from typing import Any

import pytest

from community.extensions import db
from tests.conftest import assert_accessible, assert_no_horizontal_scroll, browser_log_in
from tests.factories import make_member

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_the_tokens_open_from_the_keyboard(live_server: str, page: Any) -> None:
    member = make_member()
    db.session.commit()
    browser_log_in(page, live_server, member)
    page.goto(f"{live_server}/me")
    tokens = page.get_by_role("link", name="Mes jetons d'accès")
    assert tokens.is_hidden()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_text("Pour les applications").focus()
    page.keyboard.press("Enter")
    assert tokens.is_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/auth/tokens")
