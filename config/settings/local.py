"""Development settings: `make run` on a laptop, embedded database and broker by default."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-secret-key-change-me-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
# The key payment parameters were encrypted with before PAYMENT_CONFIG_KEY existed.
PAYMENT_CONFIG_KEY = env("PAYMENT_CONFIG_KEY", default=f"payment-config:{SECRET_KEY}")
