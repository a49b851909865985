"""Reads of the provider configuration, from the public schema or from a town's schema.

A town schema's search path includes `public`, so the town reads its own row by
the current town's id without any foreign key from its tables to this one.
"""

from tenants.current import current_town

from .models import PaymentProviderConfig


def provider_config_for_current_town(*, enabled_only: bool = True) -> PaymentProviderConfig | None:
    town = current_town()
    if town is None:
        return None
    configs = PaymentProviderConfig.objects.filter(town_id=town.pk)
    if enabled_only:
        configs = configs.filter(enabled=True)
    return configs.first()


def online_payment_enabled() -> bool:
    return provider_config_for_current_town() is not None
