"""Alembic migrations of the corpus store; applied by `proplens.store.open_store`."""
