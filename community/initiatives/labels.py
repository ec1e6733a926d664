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

# What comes next, shown in the answer box under the title.
NEXT_STEPS = {
    "proposed": _l("The town will study it and answer."),
    "under_review": _l("The town is studying it and will answer."),
    "accepted": _l(
        "The idea is kept. Next step: making it happen, with its author and the inhabitants."
    ),
    "in_progress": _l("It is under way. News comes in the timeline below."),
    "done": _l("It is done. Thank you to everyone who took part!"),
    "declined": _l(
        "The idea is not kept. You can talk about it in its discussion, or propose another idea."
    ),
    "withdrawn": _l("Its author withdrew it."),
}
