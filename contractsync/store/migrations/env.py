"""Alembic environment: migrations run on the connection the store hands over."""

from alembic import context

from contractsync.store._tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through contractsync (contractsync init), not alembic")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
