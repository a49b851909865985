"""Reads of the provider configuration, from the public schema or from a town's schema.

A town schema's search path includes `public`, so the town reads its own row by
`connection.tenant` without any foreign key from its tables to this one.
"""

from django.db import connection

from .models import PaymentProviderConfig


def provider_config_for_current_town(*, enabled_only: bool = True) -> PaymentProviderConfig | None:
    town = getattr(connection, "tenant", None)
    if town is None or getattr(town, "pk", None) is None:
        return None
    configs = PaymentProviderConfig.objects.filter(town_id=town.pk)
    if enabled_only:
        configs = configs.filter(enabled=True)
    return configs.first()


def online_payment_enabled() -> bool:
    return provider_config_for_current_town() is not None
