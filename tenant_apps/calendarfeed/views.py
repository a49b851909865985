"""The parent's "Mon agenda" page, and the feed itself (no session: the token is the key)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tenant_apps.families.selectors import household_of

from .ical import household_calendar
from .models import CalendarFeed
from .services import calendar_feed_for_token, calendar_feed_renew, calendar_feed_revoke


def feed_url(request, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("calendarfeed:feed", args=[feed.token]))


@login_required
def my_calendar(request):
    household = household_of(request.user)
    feed = CalendarFeed.objects.filter(household=household).first()
    return render(request, "calendarfeed/my_calendar.html", {
        "feed": feed, "url": feed_url(request, feed) if feed else "",
    })


@login_required
@require_POST
def renew(request):
    had_one = CalendarFeed.objects.filter(household=household_of(request.user)).exists()
    calendar_feed_renew(household=household_of(request.user))
    messages.success(request, _("Nouvelle adresse créée : l'ancienne ne fonctionne plus.") if had_one
                     else _("Adresse de votre agenda créée."))
    return redirect("calendarfeed:mine")


@login_required
@require_POST
def revoke(request):
    if calendar_feed_revoke(household=household_of(request.user)):
        messages.success(request, _("Adresse supprimée : votre agenda n'est plus partagé."))
    return redirect("calendarfeed:mine")


@require_GET
def feed(request, token: str):
    """The household's calendar for calendar apps. Nothing else is reachable with the token."""
    found = calendar_feed_for_token(token)
    if found is None:
        raise Http404(_("Agenda introuvable."))
    CalendarFeed.objects.filter(pk=found.pk).update(last_read_at=timezone.now())
    response = HttpResponse(household_calendar(found.household), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="portail-famille.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
