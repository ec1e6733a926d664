"""The notifications' two blueprints, each filled by two modules of routes: the HTML `bp`
(`views.py`, and the push part of the preferences page in `push_views.py`) and the API `blp`
(`api.py`, and web push's `push_api.py`). `views` and `api`, which the factory registers,
import their push half, so that the blueprint is whole when it is registered."""

from __future__ import annotations

from flask import Blueprint
from flask_smorest import Blueprint as ApiBlueprint

bp = Blueprint("notifications", __name__)

blp = ApiBlueprint(
    "notifications-api",
    __name__,
    url_prefix="/api/v1",
    description="The member's notifications",
)
