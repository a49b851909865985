"""Development settings: `make run` on a laptop, embedded database and broker by default."""

from .base import *  # noqa: F403
from .base import env
from .embedded import embedded_pg_dump

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-secret-key-change-me-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])

# Without PG_DUMP_PATH, the embedded wheel's pg_dump: the newest PostgreSQL's, it dumps any older server too.
PG_DUMP_PATH = env("PG_DUMP_PATH", default="") or embedded_pg_dump()
# The key payment parameters were encrypted with before PAYMENT_CONFIG_KEY existed.
PAYMENT_CONFIG_KEY = env("PAYMENT_CONFIG_KEY", default=f"payment-config:{SECRET_KEY}")
