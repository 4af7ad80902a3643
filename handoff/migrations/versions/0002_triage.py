"""What the emergency triage decided in the conversation: route, reason, the visitor's words, when.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("triage_route", sa.String(30), nullable=True))
        batch.add_column(sa.Column("triage_reason", sa.Text, nullable=True))
        batch.add_column(sa.Column("triage_words", sa.Text, nullable=True))
        batch.add_column(sa.Column("triage_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        for column in ("triage_at", "triage_words", "triage_reason", "triage_route"):
            batch.drop_column(column)
