"""Which documents a household sees, and which of them count as recent.

Visible: published on or before today, not past its end date (the end date is the last
day it is shown), and addressed to this household: to all families, or to the families
with a child enrolled, for the current school year, in one of the document's services.
Recent (the home dashboard's "Mes documents" counter): visible, published in the last
RECENT_DAYS days, and not yet downloaded by the household.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tenant_apps.catalog.models import school_year_of
from tenant_apps.families.models import Household

from .models import Document, DocumentDownload

RECENT_DAYS = 30


def _audience_q(household: Household, today: datetime.date) -> Q:
    enrolled_in_one_of_its_services = Document.services.through.objects.filter(
        document=OuterRef("pk"),
        service__enrolments__child__household=household,
        service__enrolments__school_year=school_year_of(today),
    )
    return Q(audience=Document.Audience.ALL) | Q(
        Exists(enrolled_in_one_of_its_services), audience=Document.Audience.SERVICES
    )


def documents_of(household: Household, today: datetime.date) -> QuerySet[Document]:
    """Documents this household may see today, newest first."""
    return (
        Document.objects.filter(published_on__lte=today)
        .filter(Q(unpublished_on__isnull=True) | Q(unpublished_on__gte=today))
        .filter(_audience_q(household, today))
        .annotate(
            downloaded=Exists(DocumentDownload.objects.filter(document=OuterRef("pk"), household=household))
        )
        .order_by("-published_on", "-pk")
    )


def recent_documents_of(household: Household, today: datetime.date) -> QuerySet[Document]:
    since = today - datetime.timedelta(days=RECENT_DAYS)
    return documents_of(household, today).filter(published_on__gte=since).exclude(downloads__household=household)


def document_of(household: Household, document_id: int, today: datetime.date) -> Document:
    """A document this household may see today, or 404 (another audience, expired, unknown)."""
    document = documents_of(household, today).filter(pk=document_id).first()
    if document is None:
        raise Http404(_("Document introuvable."))
    return document


def documents_for_staff() -> QuerySet[Document]:
    return (
        Document.objects.select_related("created_by").prefetch_related("services").order_by("-published_on", "-pk")
    )
