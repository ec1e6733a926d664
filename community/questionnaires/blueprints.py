"""The questionnaires' HTML blueprint `bp`, filled by three modules of routes: `views.py` (the
list, answering, results), `print_views.py` and `writing_views.py`. `views`, which the factory
registers, imports the other two, so that the blueprint is whole when it is registered."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("questionnaires", __name__)
