"""An index on every foreign key that a delete or a filter walks (erasure, theme and
neighbourhood clean-up, moderation history).

Revision ID: 0016
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXES = [
    ("communities", "created_by_id"),
    ("help_offers", "neighbourhood_id"),
    ("help_requests", "neighbourhood_id"),
    ("member_themes", "theme_id"),
    ("notifications", "actor_id"),
    ("platform_suspensions", "created_by_id"),
    ("solidarity_signals", "neighbourhood_id"),
    ("ambassadors", "named_by_id"),
    ("gardener_mandates", "appointed_by_id"),
    ("handovers", "written_by_id"),
    ("handovers", "from_member_id"),
    ("memberships", "answered_by_id"),
    ("reports", "resolved_by_id"),
    ("reports", "target_author_id"),
    ("threads", "created_by_id"),
    ("help_exchange_messages", "author_id"),
    ("messages", "hidden_by_id"),
    ("messages", "reply_to_id"),
    ("moderation_actions", "subject_id"),
    ("moderation_actions", "report_id"),
    ("initiative_status_changes", "author_id"),
    ("initiative_themes", "theme_id"),
    ("initiative_updates", "author_id"),
    ("outreach_themes", "theme_id"),
]


def upgrade() -> None:
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table, column in reversed(INDEXES):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
