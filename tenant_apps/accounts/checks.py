"""System checks of the accounts app: every password rule the server enforces is on the page's checklist."""

from django.contrib.auth import password_validation
from django.core import checks


@checks.register(checks.Tags.security)
def password_validators_have_checklist_lines(app_configs, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for validator in password_validation.get_default_password_validators():
        if not callable(getattr(validator, "checklist", None)):
            errors.append(checks.Error(
                f"The password validator {type(validator).__name__} has no checklist lines: the password "
                "page would hide a rule the server enforces.",
                hint="Give it a `checklist(user)` method (see tenant_apps/accounts/password_policy.py).",
                id="accounts.E001",
            ))
    return errors
