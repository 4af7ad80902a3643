"""The content store (answer and clinic-detail versions), its change counter, staff roles.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("roles", sa.String(200), nullable=False, server_default=""))
    op.create_table(
        "content_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(100), nullable=False, index=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("response", sa.String(100), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("buttons", sa.Text, nullable=False),
        sa.Column("condition", sa.Text, nullable=False),
        sa.Column("channel", sa.String(50), nullable=True),
        sa.Column("status", sa.String(12), nullable=False, index=True),
        sa.Column("source", sa.String(50), nullable=False),
        sa.Column("source_reference", sa.Text, nullable=False),
        sa.Column("review_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approver", sa.String(100), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejected_by", sa.String(100), nullable=True),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("claims_acknowledged", sa.Boolean, nullable=False),
    )
    op.create_table(
        "content_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("content_state")
    op.drop_table("content_versions")
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("roles")
