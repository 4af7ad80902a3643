"""Indexes for the insights dashboard (handoff/insights.py): requests by creation time with
their reason and channel, and first "contacted" per request.

The handoffs table already has an index on created_at alone; the dashboard groups by
reason and channel inside a range, which this composite index answers without reading
the table. Rasa's `events` table is not in this database's schema: its indexes are made
by the tracker store (stores/tracker_store.py).

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_handoffs_created_reason_channel", "handoffs", ["created_at", "reason", "channel"])
    op.create_index("ix_status_changes_to_handoff", "handoff_status_changes", ["to_status", "handoff_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_status_changes_to_handoff", table_name="handoff_status_changes")
    op.drop_index("ix_handoffs_created_reason_channel", table_name="handoffs")
