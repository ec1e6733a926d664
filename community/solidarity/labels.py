"""French labels of the codes the API keeps in English."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SIGNAL_KIND_LABELS = {
    "neighbour_help": _l("Help between neighbours"),
    "informal_group": _l("Informal group"),
    "association": _l("Association"),
    "solidarity_shop": _l("Solidarity shop"),
    "other": _l("Other"),
}
CONTACT_LABELS = {
    "no": _l("No"),
    "via_ambassador": _l("Yes, through an ambassador"),
}
REQUEST_STATUS_LABELS = {
    "open": _l("Open"),
    "matched": _l("A helper was accepted"),
    "done": _l("Help given"),
    "withdrawn": _l("Withdrawn"),
    "expired": _l("Expired"),
}
PROPOSAL_STATUS_LABELS = {
    "proposed": _l("Waiting for an answer"),
    "accepted": _l("Accepted"),
    "declined": _l("Not retained"),
    "withdrawn": _l("Withdrawn"),
    "done": _l("Help given"),
}
