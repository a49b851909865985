"""A household's private calendar address (iCalendar feed), readable without a session."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """The secret address of one household's calendar. Regenerating it replaces the token (the old
    address stops working at once); revoking deletes the row."""

    household = models.OneToOneField("families.Household", on_delete=models.CASCADE, related_name="calendar_feed",
                                     verbose_name=_("foyer"))
    token = models.CharField(_("jeton"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_read_at = models.DateTimeField(_("dernière lecture"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda d'un foyer")
        verbose_name_plural = _("agendas des foyers")

    def __str__(self) -> str:
        return f"{self.household} ({self.created_at:%d/%m/%Y})"
