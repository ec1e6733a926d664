"""Handover notes signed by whoever wrote them. A note a successor accepted (the candidate of a
gardener proposal) was stored as written by her, the successor: her dashboard said "Votre note
pour la personne qui vous succédera" over her predecessor's words, and her data export held a
note she never wrote. Each such note is given back to whoever asked, as the proposal says
(nobody, if that account was erased since). A note written by the successor herself — staff
naming themselves with a note, no proposal in between — is left as it is.

Revision ID: 0025
Revises: 0024
"""

from __future__ import annotations

from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

# The accepted proposal a note came from: same community, side, candidate and words.
_PROPOSAL = """
    FROM gardener_proposals AS p
    WHERE p.community_id = handovers.community_id
      AND p.side = handovers.side
      AND p.candidate_id = handovers.to_member_id
      AND p.status = 'accepted'
      AND p.note = handovers.note
"""


def upgrade() -> None:
    op.execute(
        f"""
        UPDATE handovers
        SET written_by_id = (
            SELECT p.proposed_by_id {_PROPOSAL}
            ORDER BY p.answered_at DESC, p.id DESC
            LIMIT 1
        )
        WHERE written_by_id = to_member_id
          AND EXISTS (SELECT 1 {_PROPOSAL})
        """
    )


def downgrade() -> None:
    pass  # the wrong signature is not written back
