from pg_fixtures import db_url, pg_server, pg_url  # noqa: F401  (fixtures for this folder)
