"""Absences pages: parents declare a sick child (and send the certificate); staff validate or refuse.

Parents' queries start from their household (another family's child or absence: 404); staff
screens are staff-only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenant_apps.core.files import serve
from tenant_apps.core.french import de
from tenant_apps.core.permissions import staff_required
from tenant_apps.core.refusals import refusal_as_form_error, refusal_as_message
from tenant_apps.families.selectors import child_of, children_of, household_of

from . import absences as absence_services
from .absence_forms import AbsenceForm, CertificateForm
from .models import Absence, AbsenceSettings, BookingChange


@login_required
def absences(request):
    """The household's absences, and a new declaration."""
    household = household_of(request.user)
    children = list(children_of(household))
    form = AbsenceForm(request.POST or None, request.FILES or None, children=children,
                       initial={"child": request.GET.get("enfant"), "start": request.GET.get("date"),
                                "end": request.GET.get("date")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_as_form_error(form):
            absence = absence_services.absence_declare(
                child=child_of(household, data["child"]), start=data["start"], end=data["end"],
                reason=data["reason"], comment=data["comment"], certificate=data["certificate"], actor=request.user,
                source=BookingChange.Source.PORTAL)
            text = _("Absence %(of_child)s enregistrée.") % {"of_child": de(absence.child.first_name)}
            if absence.certificate_due:
                text += " " + _("Déposez le certificat médical avant le %(day)s pour que l'absence soit justifiée.") % {
                    "day": absence.certificate_due.strftime("%d/%m/%Y")}
            messages.success(request, text)
            return redirect("bookings:absences")
    listed = (Absence.objects.filter(child__household=household).select_related("child")
              .order_by("-start", "-pk")[:50])
    return render(request, "bookings/absences.html", {
        "form": form, "absences": listed, "certificate_form": CertificateForm(),
        "certificate_days": AbsenceSettings.current().certificate_days})


@login_required
@require_POST
def absence_certificate(request, pk):
    household = household_of(request.user)
    absence = get_object_or_404(Absence, pk=pk, child__household=household)
    form = CertificateForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("certificate", []):
            messages.error(request, str(error))
        return redirect("bookings:absences")
    with refusal_as_message(request):
        absence_services.absence_certificate_add(absence=absence, certificate=form.cleaned_data["certificate"],
                                                 actor=request.user)
        messages.success(request, _("Certificat médical envoyé à la mairie."))
    return redirect("bookings:absences")


@staff_required
def staff_absences(request):
    """The declared absences staff examine, the certificate beside each (others: by status)."""
    status = request.GET.get("statut", Absence.Status.DECLARED)
    if status not in Absence.Status.values:
        status = Absence.Status.DECLARED
    listed = (Absence.objects.filter(status=status).select_related("child__household", "declared_by")
              .order_by("start", "pk")[:200])
    return render(request, "bookings/staff/absences.html", {
        "absences": listed, "status": status, "statuses": Absence.Status.choices})


@staff_required
@require_POST
def staff_absence_decide(request, pk):
    absence = get_object_or_404(Absence, pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("validate", "refuse"):
        raise Http404(_("Décision inconnue."))
    operation = absence_services.absence_validate if decision == "validate" else absence_services.absence_refuse
    with refusal_as_message(request):
        operation(absence=absence, actor=request.user, note=request.POST.get("note", ""))
        names = {"of_child": de(str(absence.child))}
        messages.success(request, _("Absence %(of_child)s justifiée.") % names if decision == "validate"
                         else _("Justificatif %(of_child)s refusé : les jours restent facturés.") % names)
    return redirect("bookings_staff:absences")


@staff_required
def staff_absence_certificate(request, pk):
    absence = get_object_or_404(Absence, pk=pk)
    return serve(absence.certificate.name or None, folder=absence_services.CERTIFICATE_FOLDER,
                 filename=absence.certificate_name or _("certificat"))


