"""Parents' pages of the families app: MON PROFIL and MES ENFANTS.

Every query starts from `household_of(request.user)`; ids of another family answer 404.
Each field is edited in place with htmx (the pencil fetches a small form, the check posts
it back); without JavaScript the pencil is a link to a page with the same form, which
posts, then redirects to the record with a confirmation message.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.forms.utils import ErrorDict, ErrorList
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from tenant_apps.core.clock import school_year_of, town_today
from tenants.errors import DomainError

from . import errors, login_email, services
from . import forms as family_forms
from .fields import BY_KEY, CATEGORY_TITLES
from .models import Authorisation, Child, Guardian
from .selectors import (
    categories,
    child_enrolments,
    child_of,
    children_of,
    document_of,
    guardians_of,
    household_of,
    record_object,
)

SAVED = gettext_lazy("Vos informations ont été modifiées.")
CONTACT_KINDS = {"urgence": "emergency", "sortie": "pickup"}
CHILD_SECTIONS = ("identite", "cursus", "prestations", "medical", "contacts", "documents", "autorisations")


def _forbidden(request, error: errors.FieldReadOnly):
    return render(request, "families/forbidden.html", {"message": error.message}, status=403)


# --- Field rows -----------------------------------------------------------------------------------


def _edit_url(key: str, obj) -> str:
    if key.startswith("child."):
        return reverse("families:child_field_edit", args=[obj.pk, key])
    return reverse("families:field_edit", args=[key, obj.pk])


def _row_id(key: str, obj) -> str:
    return f"champ-{slugify(key.replace('.', '-'))}-{obj.pk}"


def _decorate(rows):
    for row in rows:
        row["edit_url"] = _edit_url(row["key"], row["obj"])
        row["row_id"] = _row_id(row["key"], row["obj"])
    return rows


def _login_email_row(row: dict, actor) -> dict:
    """A guardian's e-mail row: read-only but for its owner, with the address awaiting confirmation."""
    if row["key"] != login_email.KEY:
        return row
    if not login_email.parent_may_change_email(actor=actor, guardian=row["obj"]):
        row["editable"] = False
        row["read_only_note"] = gettext("(identifiant de connexion : modifiable par cette personne ou par la mairie)")
    row["pending_email"] = login_email.pending_email(row["obj"])
    return row


def _categories(obj, slugs, policies, opened: str = "", *, actor=None):
    cats = categories(obj, slugs, policies)
    for index, cat in enumerate(cats):
        _decorate(cat["rows"])
        for row in cat["rows"]:
            _login_email_row(row, actor)
        cat["anchor"] = f"{cat['slug']}-{type(obj).__name__.lower()}-{obj.pk}"
        cat["open"] = cat["anchor"] == opened or (not opened and index == 0)
    return cats


def _field_form(spec, obj, data=None) -> forms.Form:
    form_class = type("FieldForm", (forms.Form,), {"value": spec.form_field()})
    return form_class(data=data, initial={"value": spec.value_of(obj)},
                      auto_id=f"id_{slugify(spec.key.replace('.', '-'))}_{obj.pk}_%s")


def _row_context(spec, obj, policy, actor, **extra):
    return _login_email_row({"spec": spec, "key": spec.key, "obj": obj, "value": spec.display(obj),
                             "editable": policy.editable_by_parents, "edit_url": _edit_url(spec.key, obj),
                             "row_id": _row_id(spec.key, obj), **extra}, actor)


@login_required
@vary_on_headers("HX-Request")
def field_edit(request, key: str, pk: int):
    household = household_of(request.user)
    obj = record_object(household, key, pk)
    spec = BY_KEY[key]
    policy = services.field_policy(key)
    if isinstance(obj, Child):
        back = reverse("families:child", args=[obj.pk]) + f"?ouvert={spec.category}#section-{spec.category}"
    else:
        anchor = f"{spec.category}-{type(obj).__name__.lower()}-{obj.pk}"
        back = reverse("families:profile") + f"?ouvert={anchor}#{anchor}"
    if not policy.editable_by_parents:
        return _forbidden(request, errors.FieldReadOnly(
            _("« %(label)s » ne peut être modifié que par les services de la mairie.") % {"label": spec.label}))
    if (key == login_email.KEY and isinstance(obj, Guardian)  # the key's scope: always a guardian
            and not login_email.parent_may_change_email(actor=request.user, guardian=obj)):
        return _forbidden(request, errors.FieldReadOnly(login_email.not_yours_message(obj)))
    if request.method == "GET" and request.htmx and request.GET.get("annuler"):
        return render(request, "families/_field.html", {"row": _row_context(spec, obj, policy, request.user)})
    form = _field_form(spec, obj)
    status = 200
    if request.method == "POST":
        form = _field_form(spec, obj, data=request.POST)
        try:
            services.field_update(actor=request.user, obj=obj, key=key, value=request.POST.get("value", ""))
        except errors.FieldReadOnly as error:
            return _forbidden(request, error)
        except errors.InvalidValue as error:
            form.full_clean()
            form.errors.clear()  # the service's messages replace the form's own
            form.add_error("value", error.errors.get(key) or [str(error.message)])
            status = 400
        except DomainError as error:
            form.full_clean()
            form.errors.clear()
            form.errors["value"] = ErrorList([str(error.message)])
            status = error.http_status
        else:
            obj.refresh_from_db()
            message = _saved_message(spec, obj)
            if request.htmx:
                return render(request, "families/_field.html",
                              {"row": _row_context(spec, obj, policy, request.user, message=message)})
            messages.success(request, message)
            return redirect(back)
    context = {"row": _row_context(spec, obj, policy, request.user), "form": form, "back_url": back,
               "subject": obj}
    template = "families/_field_form.html" if request.htmx else "families/field_edit.html"
    return render(request, template, context, status=status)


def _saved_message(spec, obj) -> str:
    pending = login_email.pending_email(obj) if spec.key == login_email.KEY else ""
    if pending:
        return gettext("Un e-mail de confirmation a été envoyé à %(email)s. Votre adresse de connexion changera "
                       "quand vous aurez ouvert le lien qu'il contient (valable 24 heures) ; d'ici là, rien ne "
                       "change.") % {"email": pending}
    return str(SAVED)


# --- MON PROFIL -------------------------------------------------------------------------------------


@login_required
def profile(request):
    household = household_of(request.user)
    policies = services.field_policies()
    opened = request.GET.get("ouvert", "")
    guardians = [
        {"guardian": g, "categories": _categories(g, ("coordonnees", "etat_civil", "profession"), policies, opened,
                                                  actor=request.user)}
        for g in guardians_of(household)
    ]
    return render(request, "families/profile.html", {
        "household": household,
        "household_categories": _categories(household, ("adresse", "situation"), policies, opened),
        "guardians": guardians,
    })


# --- MES ENFANTS --------------------------------------------------------------------------------------


@login_required
def children(request):
    household = household_of(request.user)
    return render(request, "families/children.html", {"children": children_of(household)})


def _child_context(request, child: Child, *, open_section: str = "", bound: dict | None = None,
                   message: str = "") -> dict:
    school_year = school_year_of(town_today())
    policies = services.field_policies()
    can = {
        "allergies": policies["child.allergies"].editable_by_parents,
        "vaccines": policies["child.vaccines"].editable_by_parents,
        "emergency": policies["child.emergency_contacts"].editable_by_parents,
        "pickup": policies["child.pickup_contacts"].editable_by_parents,
        "documents": policies["child.documents"].editable_by_parents,
        "authorisations": policies["child.authorisations"].editable_by_parents,
    }
    bound = bound or {}
    granted = {a.kind: a.granted for a in child.authorisations.all()}
    authorisations = [{"kind": kind, "label": label, "granted": granted.get(kind)}
                      for kind, label in Authorisation.Kind.choices]
    cats = {c["slug"]: c for c in _categories(child, ("identite", "cursus", "medical"), policies)}
    return {
        "child": child,
        "cats": cats,
        "titles": CATEGORY_TITLES,
        "placements": child.placements.all(),
        "allergies": child.allergies.all(),
        "vaccines": child.vaccines.all(),
        "emergency_contacts": child.emergency_contacts.all(),
        "pickup_contacts": child.pickup_contacts.all(),
        "documents": child.documents.all(),
        "authorisations": authorisations,
        "authorisation_count": sum(1 for a in authorisations if a["granted"] is not None),
        "can": can,
        "allergy_form": bound.get("allergy") or family_forms.AllergyForm(auto_id="id_allergy_%s"),
        "vaccine_form": bound.get("vaccine") or family_forms.VaccineForm(auto_id="id_vaccine_%s"),
        "emergency_form": bound.get("emergency") or family_forms.ContactForm(auto_id="id_emergency_%s"),
        "pickup_form": bound.get("pickup") or family_forms.ContactForm(auto_id="id_pickup_%s"),
        "document_form": bound.get("document") or family_forms.DocumentForm(auto_id="id_document_%s"),
        "open_section": open_section,
        "section_message": message,
        "enrolments": child_enrolments(child, school_year),
        "school_year": school_year,
    }


@login_required
def child(request, child_id: int):
    household = household_of(request.user)
    opened = request.GET.get("ouvert", "")
    return render(request, "families/child.html",
                  _child_context(request, child_of(household, child_id), open_section=opened))


def _section_response(request, child: Child, section: str, *, bound: dict | None = None, error=None):
    """After a sub-record change: the section (htmx) or a redirect to the child page (no JS)."""
    if error is None:
        if request.htmx:
            return render(request, f"families/child/_{section}.html",
                          _child_context(request, child, open_section=section, message=str(SAVED)))
        messages.success(request, SAVED)
        return redirect(reverse("families:child", args=[child.pk]) + f"?ouvert={section}#section-{section}")
    if isinstance(error, errors.FieldReadOnly):
        return _forbidden(request, error)
    if isinstance(error, errors.RecordNotFound):
        raise Http404(error.message)
    context = _child_context(request, child, open_section=section, bound=bound)
    template = f"families/child/_{section}.html" if request.htmx else "families/child.html"
    return render(request, template, context, status=400)


def _bind_errors(form, error: errors.InvalidValue):
    form.full_clean()
    form._errors = ErrorDict({name: ErrorList(messages_) for name, messages_ in error.errors.items()})
    return form


@login_required
@require_POST
@vary_on_headers("HX-Request")
def allergy_add(request, child_id: int):
    child = child_of(household_of(request.user), child_id)
    form = family_forms.AllergyForm(request.POST, auto_id="id_allergy_%s")
    try:
        services.allergy_add(actor=request.user, child=child, name=request.POST.get("name", ""),
                             details=request.POST.get("details", ""))
    except errors.InvalidValue as error:
        return _section_response(request, child, "medical", bound={"allergy": _bind_errors(form, error)}, error=error)
    except DomainError as error:
        return _section_response(request, child, "medical", error=error)
    return _section_response(request, child, "medical")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def allergy_remove(request, child_id: int, allergy_id: int):
    child = child_of(household_of(request.user), child_id)
    try:
        services.allergy_remove(actor=request.user, child=child, allergy_id=allergy_id)
    except DomainError as error:
        return _section_response(request, child, "medical", error=error)
    return _section_response(request, child, "medical")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def vaccine_add(request, child_id: int):
    child = child_of(household_of(request.user), child_id)
    form = family_forms.VaccineForm(request.POST, auto_id="id_vaccine_%s")
    try:
        services.vaccine_add(actor=request.user, child=child, name=request.POST.get("name", ""),
                             given_on=request.POST.get("given_on", ""))
    except errors.InvalidValue as error:
        return _section_response(request, child, "medical", bound={"vaccine": _bind_errors(form, error)}, error=error)
    except DomainError as error:
        return _section_response(request, child, "medical", error=error)
    return _section_response(request, child, "medical")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def vaccine_remove(request, child_id: int, vaccine_id: int):
    child = child_of(household_of(request.user), child_id)
    try:
        services.vaccine_remove(actor=request.user, child=child, vaccine_id=vaccine_id)
    except DomainError as error:
        return _section_response(request, child, "medical", error=error)
    return _section_response(request, child, "medical")


def _contact_kind(kind: str) -> str:
    if kind not in CONTACT_KINDS:
        raise Http404(_("Type de contact inconnu."))
    return CONTACT_KINDS[kind]


@login_required
@require_POST
@vary_on_headers("HX-Request")
def contact_add(request, child_id: int, kind: str):
    child = child_of(household_of(request.user), child_id)
    kind = _contact_kind(kind)
    form = family_forms.ContactForm(request.POST, auto_id=f"id_{kind}_%s")
    try:
        services.contact_add(actor=request.user, child=child, kind=kind, name=request.POST.get("name", ""),
                             relationship=request.POST.get("relationship", ""), phone=request.POST.get("phone", ""))
    except errors.InvalidValue as error:
        return _section_response(request, child, "contacts", bound={kind: _bind_errors(form, error)}, error=error)
    except DomainError as error:
        return _section_response(request, child, "contacts", error=error)
    return _section_response(request, child, "contacts")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def contact_remove(request, child_id: int, kind: str, contact_id: int):
    child = child_of(household_of(request.user), child_id)
    try:
        services.contact_remove(actor=request.user, child=child, kind=_contact_kind(kind), contact_id=contact_id)
    except DomainError as error:
        return _section_response(request, child, "contacts", error=error)
    return _section_response(request, child, "contacts")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def authorisation_set(request, child_id: int, kind: str):
    child = child_of(household_of(request.user), child_id)
    if kind not in Authorisation.Kind.values:
        raise Http404(_("Autorisation inconnue."))
    try:
        services.authorisation_set(actor=request.user, child=child, kind=kind,
                                   granted=request.POST.get("granted", ""))
    except DomainError as error:
        return _section_response(request, child, "autorisations", error=error)
    return _section_response(request, child, "autorisations")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def document_add(request, child_id: int):
    child = child_of(household_of(request.user), child_id)
    form = family_forms.DocumentForm(request.POST, request.FILES, auto_id="id_document_%s")
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise errors.InvalidValue(errors={"file": [_("Choisissez un fichier.")]})
        services.document_add(actor=request.user, child=child, title=request.POST.get("title", ""), file=upload)
    except errors.InvalidValue as error:
        return _section_response(request, child, "documents", bound={"document": _bind_errors(form, error)},
                                 error=error)
    except DomainError as error:
        return _section_response(request, child, "documents", error=error)
    return _section_response(request, child, "documents")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def document_remove(request, child_id: int, document_id: int):
    child = child_of(household_of(request.user), child_id)
    try:
        services.document_remove(actor=request.user, child=child, document_id=document_id)
    except DomainError as error:
        return _section_response(request, child, "documents", error=error)
    return _section_response(request, child, "documents")


@login_required
def document_download(request, child_id: int, document_id: int):
    document = document_of(household_of(request.user), child_id, document_id)
    return document_file_response(document)


def document_file_response(document) -> FileResponse:
    """Stream a stored document (ownership already checked by the caller)."""
    extension = family_forms.ACCEPTED_DOCUMENT_TYPES.get(document.content_type, "bin")
    handle = default_storage.open(document.file.name, "rb")
    response = FileResponse(handle, as_attachment=True, filename=f"{slugify(document.title) or 'document'}.{extension}",
                            content_type=document.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
