"""The communities' HTML blueprint `bp`, its template globals and its home-page tools.

Two modules of routes fill it: `views.py` (the list, a community, joining and leaving, its
members, staff's community form) and `gardener_views.py` (the pair's pages, the gardeners'
dashboard, handovers, proposals and answers to join requests). `views`, which the factory
registers, imports `gardener_views`, so that the blueprint is whole when it is registered.
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from community.communities.permissions import (
    can_manage_communities,
    can_open_proposal,
    can_see_dashboard,
)
from community.communities.roles import gardener_role, gardener_side
from community.core.home import home_tool

bp = Blueprint("communities", __name__, url_prefix="/communities")
# The two sides of the pair, named for everyone, as the notifications name them.
bp.app_template_global("gardener_role")(gardener_role)
bp.app_template_global("gardener_side")(gardener_side)
bp.app_template_global("can_open_proposal")(can_open_proposal)
# Its tools, on the home page of those who may open them.
home_tool("communities.dashboard", _l("Gardener dashboard"), can_see_dashboard)
home_tool("communities.edit", _l("New community"), can_manage_communities)
home_tool(
    "communities.needing_gardener", _l("Communities needing a gardener"), can_manage_communities
)
