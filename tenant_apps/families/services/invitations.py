"""First-password invitations of guardians: one at a time ("Renvoyer l'invitation") or in bulk
(an InvitationBatch run by a job, with its progress). An invitation link is valid 7 days."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenant_apps.accounts.models import AccessLink, User
from tenant_apps.accounts.services import invitation_send
from tenant_apps.core.clock import school_year_of, town_today
from tenants.outbox.services import send_on_commit

from ..errors import InvitationRefused
from ..models import Guardian, InvitationBatch

# A second bulk sending skips the guardians invited this recently (unless asked).
RECENT_INVITATION = timedelta(hours=24)
# The batch's progress is saved every this many e-mails.
PROGRESS_EVERY = 20

WITHOUT_PASSWORD = Q(user__isnull=False, user__is_active=True, user__is_staff=False, user__password__startswith="!")


def with_invitation_dates(guardians: QuerySet[Guardian]) -> QuerySet[Guardian]:
    """`invited_at`: the last invitation e-mailed to the guardian's account (None if never)."""
    last = (AccessLink.objects.filter(user=OuterRef("user_id"), purpose=AccessLink.Purpose.INVITATION)
            .values("user").annotate(last=Max("created_at")).values("last"))
    return guardians.annotate(invited_at=Subquery(last))


def guardians_to_invite(*, scope: str, service_id: int | None = None, school: str = "",
                        guardian_ids: list[int] | None = None) -> QuerySet[Guardian]:
    """The guardians with an account but no password yet, of the households matching the filter:
    every one, those with a child enrolled in the service this school year, or at the school."""
    guardians = Guardian.objects.filter(WITHOUT_PASSWORD)
    if scope == InvitationBatch.Scope.SERVICE:
        # `enrolments` is the catalog's relation to the child (families does not import catalog).
        guardians = guardians.filter(household__children__enrolments__service_id=service_id or 0,
                                     household__children__enrolments__school_year=school_year_of(town_today()))
    elif scope == InvitationBatch.Scope.SCHOOL:
        guardians = guardians.filter(household__children__placements__school__iexact=school.strip())
    elif scope == InvitationBatch.Scope.IMPORTED:
        guardians = guardians.filter(pk__in=guardian_ids or [])
    return guardians.distinct()


def guardian_invite(*, guardian: Guardian) -> None:
    """E-mail (again) the invitation to create a password; refused once the password exists."""
    user = guardian.user
    if user is None:
        raise InvitationRefused(_("Ce responsable n'a pas de compte : ajoutez d'abord son adresse e-mail."))
    if user.has_usable_password():
        raise InvitationRefused(_("Ce responsable a déjà créé son mot de passe."))
    invitation_send(user=user)


def invitation_batch_start(*, created_by: User | None, scope: str, service_id: int | None = None,
                           filter_label: str = "", school: str = "", include_recent: bool = False,
                           guardian_ids: list[int] | None = None) -> InvitationBatch:
    """Record a bulk sending and queue its job (after commit)."""
    if scope not in InvitationBatch.Scope.values:
        raise InvitationRefused(_("Choisissez les destinataires de l'invitation."))
    if scope == InvitationBatch.Scope.SERVICE and not service_id:
        raise InvitationRefused(_("Choisissez la prestation."))
    if scope == InvitationBatch.Scope.SCHOOL and not school.strip():
        raise InvitationRefused(_("Choisissez l'école."))
    from ..tasks import run_invitation_batch

    batch = InvitationBatch.objects.create(
        created_by=created_by, scope=scope, service_id=service_id if scope == InvitationBatch.Scope.SERVICE else None,
        filter_label=filter_label[:200], school=school.strip() if scope == InvitationBatch.Scope.SCHOOL else "",
        include_recent=include_recent,
        guardian_ids=list(guardian_ids or []) if scope == InvitationBatch.Scope.IMPORTED else [],
    )
    send_on_commit(run_invitation_batch, batch.pk)
    return batch


def invitation_batch_run(*, batch_id: int) -> InvitationBatch | None:
    """Send the batch's invitations now (the job), saving its progress as it goes."""
    from tenant_apps.accounts.tasks import password_link_mail

    with transaction.atomic():
        batch = InvitationBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != InvitationBatch.Status.QUEUED:
            return batch  # a redelivered message does not send twice
        batch.status = InvitationBatch.Status.RUNNING
        batch.save(update_fields=["status"])
    guardians = list(guardians_to_invite(scope=batch.scope, service_id=batch.service_id, school=batch.school,
                                         guardian_ids=batch.guardian_ids)
                     .select_related("user").order_by("pk"))
    recent: set[int] = set()
    if not batch.include_recent:
        recent = set(AccessLink.objects.filter(
            purpose=AccessLink.Purpose.INVITATION, created_at__gte=timezone.now() - RECENT_INVITATION,
            user_id__in=[g.user_id for g in guardians]).values_list("user_id", flat=True))
    targets = [g for g in guardians if g.user_id not in recent]
    batch.total, batch.skipped_recent = len(targets), len(guardians) - len(targets)
    batch.save(update_fields=["total", "skipped_recent"])
    try:
        for guardian in targets:
            assert guardian.user is not None  # noqa: S101 - WITHOUT_PASSWORD
            password_link_mail(user=guardian.user, purpose=AccessLink.Purpose.INVITATION)
            batch.sent += 1
            if batch.sent % PROGRESS_EVERY == 0:
                batch.save(update_fields=["sent"])
    except Exception:
        batch.status, batch.finished_at = InvitationBatch.Status.FAILED, timezone.now()
        batch.save(update_fields=["sent", "status", "finished_at"])
        raise
    batch.status, batch.finished_at = InvitationBatch.Status.DONE, timezone.now()
    batch.save(update_fields=["sent", "status", "finished_at"])
    return batch
