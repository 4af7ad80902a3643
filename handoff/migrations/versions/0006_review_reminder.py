"""When the weekly e-mail of answers due for review was last sent, so a restart does not resend it.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("content_state") as batch:
        batch.add_column(sa.Column("review_reminder_sent_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("content_state") as batch:
        batch.drop_column("review_reminder_sent_at")
