from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarFeedConfig(AppConfig):
    name = "tenant_apps.calendarfeed"
    label = "calendarfeed"
    verbose_name = _("Agenda des familles")
    default_auto_field = "django.db.models.BigAutoField"
