"""Configure a town's online-payment provider:

    python manage.py configure_payment <slug> --backend payfip_ws --param numcli=123456 --param saisie=T --enable
    python manage.py configure_payment <slug> --show
"""

from django.core.management.base import BaseCommand, CommandError

from tenants.current import activate_public
from tenants.errors import DomainError
from tenants.models import Town

from ...crypto import mask_params
from ...models import PaymentProviderConfig
from ...services import payment_config_set


def _parse(pairs: list[str]) -> dict:
    params = {}
    for pair in pairs:
        if "=" not in pair:
            raise CommandError(f"--param expects name=value, got {pair!r}.")
        name, value = pair.split("=", 1)
        params[name.strip()] = value
    return params


class Command(BaseCommand):
    help = "Set a town's online-payment provider (eopayment backend and parameters), enable or disable it."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--backend", help="eopayment backend: dummy, payfip_ws, tipi, systempayv2, …")
        parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
        parser.add_argument("--replace-params", action="store_true", help="forget the parameters not given")
        state = parser.add_mutually_exclusive_group()
        state.add_argument("--enable", action="store_true")
        state.add_argument("--disable", action="store_true")
        parser.add_argument("--show", action="store_true", help="print the current configuration (masked)")

    def handle(self, *args, slug, backend, param, replace_params, enable, disable, show, **options):
        activate_public()
        town = Town.objects.filter(slug=slug).first()
        if town is None:
            raise CommandError(f"No town answers at /{slug}/.")
        config = PaymentProviderConfig.objects.filter(town=town).first()
        if not show or backend or param or enable or disable:
            if backend is None:
                if config is None:
                    raise CommandError("This town has no payment provider yet: give --backend.")
                backend = config.backend
            try:
                config = payment_config_set(
                    town=town,
                    backend=backend,
                    params=_parse(param),
                    enabled=True if enable else (False if disable else None),
                    replace_params=replace_params,
                )
            except DomainError as error:
                raise CommandError(error.message) from None
        if config is None:
            self.stdout.write(f"/{slug}/: no online payment configured.")
            return
        masked = ", ".join(f"{k}={v}" for k, v in mask_params(config.params).items()) or "(none)"
        state = "enabled" if config.enabled else "disabled"
        self.stdout.write(f"/{slug}/: backend {config.backend}, {state}; parameters: {masked}")
