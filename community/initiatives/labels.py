"""What statuses and refusal reasons are called on screen (codes stay English in JSON)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "proposed": _l("Proposed"),
    "under_review": _l("Under review"),
    "accepted": _l("Accepted"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}
REASON_LABELS = {
    "competence": _l("Outside the authority's competence"),
    "budget": _l("Budget"),
    "exists": _l("Already exists"),
    "legal": _l("Legal constraint"),
    "other": _l("Other reason"),
}
SORT_LABELS = {"newest": _l("Newest first"), "supported": _l("Most supported first")}
