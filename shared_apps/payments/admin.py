"""Operators' screen (/ops/) for each town's online-payment provider; secrets are never shown back."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from shared_apps.console.admin import ops_site
from tenants.errors import DomainError

from .crypto import ParamsUnreadable, mask_params
from .models import PaymentProviderConfig
from .services import payment_config_preview, payment_config_set


def parse_param_lines(text: str) -> dict:
    params = {}
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if "=" not in line:
            raise forms.ValidationError(_("Ligne « %(line)s » : écrivez nom=valeur.") % {"line": line})
        name, value = line.split("=", 1)
        params[name.strip()] = value.strip()
    return params


class PaymentProviderConfigForm(forms.ModelForm):
    new_params = forms.CharField(
        label=_("Paramètres à modifier"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Un paramètre par ligne, nom=valeur (ex. numcli=123456). Les paramètres non cités sont "
        "conservés ; « nom= » supprime un paramètre. Les valeurs enregistrées ne sont jamais réaffichées."),
    )

    class Meta:
        model = PaymentProviderConfig
        fields = ["town", "backend", "enabled"]

    def clean_new_params(self):
        return parse_param_lines(self.cleaned_data.get("new_params", ""))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.errors or not data.get("town") or not data.get("backend"):
            return data
        try:
            payment_config_preview(town=data["town"], backend=data["backend"], params=data.get("new_params"),
                                   enabled=bool(data.get("enabled")))
        except DomainError as error:
            raise forms.ValidationError(error.message) from None
        return data


@admin.register(PaymentProviderConfig, site=ops_site)
class PaymentProviderConfigAdmin(admin.ModelAdmin):
    form = PaymentProviderConfigForm
    list_display = ["town", "backend", "enabled", "masked_params", "updated_at"]
    list_filter = ["backend", "enabled"]
    search_fields = ["town__name", "town__slug"]
    readonly_fields = ["masked_params", "updated_at"]
    fields = ["town", "backend", "enabled", "masked_params", "new_params", "updated_at"]

    @admin.display(description=_("Paramètres (masqués)"))
    def masked_params(self, config):
        try:
            masked = mask_params(config.params) if config.pk else {}
        except ParamsUnreadable:
            return _("illisibles (clé de chiffrement changée)")
        if not masked:
            return "—"
        return format_html_join(", ", "{}={}", masked.items())

    def save_model(self, request, obj, form, change):
        # The one path for every caller: the same service as the CLI.
        try:
            saved = payment_config_set(
                town=form.cleaned_data["town"],
                backend=form.cleaned_data["backend"],
                params=form.cleaned_data["new_params"],
                enabled=form.cleaned_data["enabled"],
            )
        except DomainError as error:
            messages.error(request, error.message)
            return
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return True
