"""The demo commune fills the observatory with published and hidden cells."""

from __future__ import annotations

from community.demo import seed_demo
from community.observatory import services
from community.solidarity.models import HelpOffer, HelpProposal, HelpRequest, SolidaritySignal


def test_demo_shows_published_and_hidden_cells() -> None:
    ctx = seed_demo()
    assert HelpOffer.query.count() > 20 and HelpRequest.query.count() > 20
    assert SolidaritySignal.query.count() > 10
    assert HelpProposal.query.filter_by(status="accepted").count() >= 1
    assert HelpProposal.query.filter_by(status="done").count() >= 1
    assert HelpRequest.query.filter_by(on_behalf=True).count() == 1
    assert HelpRequest.query.filter_by(author_id=ctx.members["habitant"].id).count() == 1
    summary = services.summary(services.parse_period(None, None))
    for key in ("help_offers", "help_requests", "solidarity_signals"):
        cells = [v for row in summary.table(key).published.cells for v in row]
        assert any(v is None for v in cells), key
        assert any(v is not None and v >= 5 for v in cells), key
