"""The review queue: messages the assistant was unsure about, staff labels, the model's check.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("said_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("intent", sa.String(100), nullable=True),
        sa.Column("confidence", sa.Float, nullable=True),
        sa.Column("triage_route", sa.String(30), nullable=True),
        sa.Column("status", sa.String(12), nullable=False, index=True),
        sa.Column("label", sa.String(100), nullable=True),
        sa.Column("reviewer", sa.String(100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("check_intent", sa.String(100), nullable=True),
        sa.Column("check_confidence", sa.Float, nullable=True),
        sa.Column("check_route", sa.String(30), nullable=True),
        sa.Column("check_right", sa.Boolean, nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("sender_id", "message_id", name="uq_review_items_message"),
    )
    op.create_table(
        "review_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("last_event_id", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("review_state")
    op.drop_table("review_items")
