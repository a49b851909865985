"""Demo data: each town app may ship a `demo.py` with `load(town)`; they run in TENANT_APPS order."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings


def load_demo(town) -> None:
    for app in settings.TENANT_APPS:
        module_name = f"{app}.demo"
        if app.startswith("tenant_apps.") and find_spec(module_name) is not None:
            import_module(module_name).load(town)
