"""The family record: households, their guardians (who sign in) and their children.

Core models shared by every other town app (Household, Guardian, Child), the child's
sub-records (school placement, medical, contacts, authorisations, documents), the staff's
field policy and the audit trail of parents' edits.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenant_apps.core.clock import town_today


class Household(models.Model):
    """The family unit that is invoiced (foyer)."""

    name = models.CharField(_("nom du foyer"), max_length=200)
    address_line = models.CharField(_("adresse"), max_length=200, blank=True)
    address_line2 = models.CharField(_("complément d'adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    family_quotient = models.PositiveIntegerField(_("quotient familial"), null=True, blank=True)
    family_quotient_valid_from = models.DateField(_("QF valable du"), null=True, blank=True)
    family_quotient_valid_until = models.DateField(_("QF valable jusqu'au"), null=True, blank=True)
    external_ref = models.CharField(
        _("référence dans l'ancien logiciel"), max_length=64, blank=True,
        help_text=_("Identifiant du foyer dans le système précédent (import CSV)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("foyer")
        verbose_name_plural = _("foyers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Guardian(models.Model):
    """A parent or legal guardian (responsable légal); signs in with their e-mail."""

    class Civility(models.TextChoices):
        MADAME = "mme", _("Madame")
        MONSIEUR = "m", _("Monsieur")

    class MaritalStatus(models.TextChoices):
        SINGLE = "celibataire", _("Célibataire")
        MARRIED = "marie", _("Marié(e)")
        CIVIL_UNION = "pacse", _("Pacsé(e)")
        COHABITING = "concubinage", _("En concubinage")
        SEPARATED = "separe", _("Séparé(e)")
        DIVORCED = "divorce", _("Divorcé(e)")
        WIDOWED = "veuf", _("Veuf / veuve")

    class Relationship(models.TextChoices):
        MOTHER = "mere", _("Mère")
        FATHER = "pere", _("Père")
        GUARDIAN = "tuteur", _("Tuteur / tutrice")
        FOSTER = "famille_accueil", _("Famille d'accueil")
        OTHER = "autre", _("Autre")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="guardians")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="guardian", null=True, blank=True
    )
    civility = models.CharField(_("civilité"), max_length=8, choices=Civility.choices, blank=True)
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    marital_status = models.CharField(
        _("situation familiale"), max_length=16, choices=MaritalStatus.choices, blank=True
    )
    relationship = models.CharField(
        _("lien avec les enfants"), max_length=16, choices=Relationship.choices, blank=True
    )
    email = models.EmailField(_("e-mail"), blank=True)
    mobile_phone = models.CharField(_("téléphone portable"), max_length=20, blank=True)
    home_phone = models.CharField(_("téléphone domicile"), max_length=20, blank=True)
    work_phone = models.CharField(_("téléphone travail"), max_length=20, blank=True)
    profession = models.CharField(_("profession"), max_length=100, blank=True)
    employer = models.CharField(_("employeur"), max_length=150, blank=True)
    is_payer = models.BooleanField(_("payeur"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("responsable légal")
        verbose_name_plural = _("responsables légaux")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="families_guardian_email_ci_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"


class Child(models.Model):
    class Sex(models.TextChoices):
        GIRL = "F", _("Fille")
        BOY = "M", _("Garçon")

    class Diet(models.TextChoices):
        NONE = "", _("Aucun régime particulier")
        NO_PORK = "sans_porc", _("Sans porc")
        VEGETARIAN = "vegetarien", _("Végétarien")
        NO_MEAT = "sans_viande", _("Sans viande")
        CARE_PLAN = "pai", _("PAI (panier repas ou régime médical)")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date de naissance"))
    birth_city = models.CharField(_("ville de naissance"), max_length=100, blank=True)
    diet = models.CharField(_("régime alimentaire"), max_length=16, choices=Diet.choices, blank=True)
    doctor_name = models.CharField(_("médecin traitant"), max_length=150, blank=True)
    doctor_phone = models.CharField(_("téléphone du médecin"), max_length=20, blank=True)
    care_plan = models.BooleanField(_("PAI (projet d'accueil individualisé)"), default=False)
    care_plan_details = models.TextField(_("détails du PAI"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enfant")
        verbose_name_plural = _("enfants")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"

    def age(self, on=None) -> int:
        on = on or town_today()
        born = self.birth_date
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class SchoolPlacement(models.Model):
    """The child's cursus for one school year: school, level, class."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements")
    school_year = models.CharField(_("année scolaire"), max_length=9, help_text=_("Par exemple 2026-2027."))
    school = models.CharField(_("école"), max_length=150)
    level = models.CharField(_("niveau"), max_length=50, blank=True, help_text=_("Par exemple CE2/CM1."))
    school_class = models.CharField(_("classe"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("cursus")
        verbose_name_plural = _("cursus")
        ordering = ["-school_year"]
        constraints = [models.UniqueConstraint(fields=["child", "school_year"], name="families_one_placement_per_year")]

    def __str__(self) -> str:
        return f"{self.school_year} / {self.school} / {self.level} / {self.school_class}"


class Allergy(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="allergies")
    name = models.CharField(_("allergie"), max_length=150)
    details = models.CharField(_("précisions"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("allergie")
        verbose_name_plural = _("allergies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Vaccine(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="vaccines")
    name = models.CharField(_("vaccin"), max_length=150)
    given_on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("vaccin")
        verbose_name_plural = _("vaccins")
        ordering = ["-given_on", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.given_on:%d/%m/%Y})"


class Authorisation(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Droit à l'image (photos, vidéos)")
        LEAVE_ALONE = "leave_alone", _("Quitter seul la structure")
        TRANSPORT = "transport", _("Transport en car ou minibus")
        CARE = "care", _("Soins et hospitalisation en urgence")
        OUTINGS = "outings", _("Sorties hors de la structure")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="authorisations")
    kind = models.CharField(_("autorisation"), max_length=16, choices=Kind.choices)
    granted = models.BooleanField(_("accordée"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("autorisation")
        verbose_name_plural = _("autorisations")
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["child", "kind"], name="families_one_authorisation_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {'oui' if self.granted else 'non'}"


class ContactBase(models.Model):
    name = models.CharField(_("nom et prénom"), max_length=150)
    relationship = models.CharField(_("lien avec l'enfant"), max_length=100, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship}) {self.phone}"


class EmergencyContact(ContactBase):
    """A person to call in an emergency when the guardians cannot be reached."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="emergency_contacts")

    class Meta(ContactBase.Meta):
        verbose_name = _("contact d'urgence")
        verbose_name_plural = _("contacts d'urgence")


class PickupContact(ContactBase):
    """A person allowed to pick the child up (contact de sortie)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="pickup_contacts")

    class Meta(ContactBase.Meta):
        verbose_name = _("contact de sortie")
        verbose_name_plural = _("contacts de sortie")


def child_document_path(instance, filename: str) -> str:
    # The storage prefixes the town's schema; the name never carries the parent's file name
    # into a path component (only its extension, checked beforehand).
    return f"families/children/{instance.child_id}/{filename}"


class ChildDocument(models.Model):
    """A document a parent gives about a child (medical certificate, vaccination record…)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=150)
    file = models.FileField(_("fichier"), upload_to=child_document_path, max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document de l'enfant")
        verbose_name_plural = _("documents des enfants")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title


class FieldPolicy(models.Model):
    """Staff's choice for one field of the family record: may parents edit it, is it audited?

    A field without a row follows the default declared in `fields.py`.
    """

    key = models.CharField(_("champ"), max_length=64, unique=True)
    editable_by_parents = models.BooleanField(_("modifiable par les parents"), default=True)
    audited = models.BooleanField(_("modifications historisées"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("règle de modification d'un champ")
        verbose_name_plural = _("règles de modification des champs")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class FieldChange(models.Model):
    """Audit trail: a parent changed a sensitive field (who, when, which field, old → new)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="field_changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("le"), default=timezone.now)
    field_key = models.CharField(_("champ"), max_length=64)
    subject = models.CharField(_("concerne"), max_length=200)
    old_value = models.TextField(_("ancienne valeur"), blank=True)
    new_value = models.TextField(_("nouvelle valeur"), blank=True)

    class Meta:
        verbose_name = _("modification historisée")
        verbose_name_plural = _("historique des modifications")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.changed_at:%d/%m/%Y %H:%M} {self.subject} – {self.field_key}"


class InvitationBatch(models.Model):
    """A bulk sending of first-password invitations to the guardians without a password (a job)."""

    class Scope(models.TextChoices):
        ALL = "all", _("Tous les responsables sans mot de passe")
        SERVICE = "service", _("Inscrits à une prestation")
        SCHOOL = "school", _("Par école")
        IMPORTED = "imported", _("Responsables d'un import")

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    scope = models.CharField(_("destinataires"), max_length=16, choices=Scope.choices, default=Scope.ALL)
    # The catalog's service (families sits below catalog: its id, and its name as shown then).
    service_id = models.PositiveIntegerField(null=True, blank=True)
    filter_label = models.CharField(_("filtre"), max_length=200, blank=True)
    school = models.CharField(_("école"), max_length=150, blank=True)
    # IMPORTED: the guardians the CSV import just created.
    guardian_ids = models.JSONField(default=list, blank=True)
    include_recent = models.BooleanField(_("réinviter aussi les invités des dernières 24 heures"), default=False)
    status = models.CharField(_("statut"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("à inviter"), default=0)
    sent = models.PositiveIntegerField(_("envoyées"), default=0)
    skipped_recent = models.PositiveIntegerField(_("déjà invités dans les 24 heures"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("envoi d'invitations")
        verbose_name_plural = _("envois d'invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.filter_label} – {self.sent}/{self.total}"

    @property
    def progress_percent(self) -> int:
        return 100 if not self.total else int(self.sent * 100 / self.total)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
