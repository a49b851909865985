"""The test database as a DATABASE_URL, for tests that run manage.py in a real process."""

from urllib.parse import quote

from django.db import connection


def database_url() -> str:
    """The URL this process connects with: a TCP server, or the embedded one's Unix socket directory."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "postgres", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = quote(db.get("HOST") or "127.0.0.1", safe="")  # a socket directory is percent-encoded
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(db['NAME'], safe='')}"
