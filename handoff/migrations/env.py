"""Alembic environment: runs migrations against the URL handoff.db.migrate() passes in."""

from alembic import context
from sqlalchemy import create_engine, pool

from handoff.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
engine = create_engine(url, poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()
