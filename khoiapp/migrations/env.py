"""Alembic environment: runs on the connection the app hands over (see khoiapp.db.upgrade)."""

from __future__ import annotations

from alembic import context

from khoiapp.models import Base

target_metadata = Base.metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:  # `alembic revision --autogenerate` during development
        from sqlalchemy import create_engine

        url = context.config.get_main_option("sqlalchemy.url") or "sqlite://"
        engine = create_engine(url)
        with engine.connect() as conn:
            context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
