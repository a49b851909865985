"""Writes of the town kernel: the town's profile (contact details, welcome text, logo)."""

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from . import files
from .html import sanitize_html
from .models import TownProfile
from .text import WELCOME_TEXT_MAX_CHARS, check_length

LOGO_MAX_BYTES = 1024 * 1024
LOGO_FOLDER = "portal"


@transaction.atomic
def town_profile_update(
    *,
    profile: TownProfile,
    display_name: str,
    address_line: str = "",
    postcode: str = "",
    city: str = "",
    phone: str = "",
    fax: str = "",
    email: str = "",
    website: str = "",
    welcome_title: str = "",
    welcome_body: str = "",
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> TownProfile:
    """Save the town's profile; the welcome text (WELCOME_TEXT_MAX_CHARS at most, as typed) is
    sanitised (nh3) before it is stored."""
    check_length(welcome_body, max_chars=WELCOME_TEXT_MAX_CHARS, field="welcome_body")
    profile.display_name = display_name.strip()
    profile.address_line = address_line.strip()
    profile.postcode = postcode.strip()
    profile.city = city.strip()
    profile.phone = phone.strip()
    profile.fax = fax.strip()
    profile.email = email.strip()
    profile.website = website.strip()
    profile.welcome_title = welcome_title.strip() or "Bienvenue sur votre portail famille"
    profile.welcome_body = sanitize_html(welcome_body)
    old_logo = profile.logo.name if profile.logo else ""
    if logo is not None:
        checked = files.check_upload(logo, allowed=files.IMAGES, max_bytes=LOGO_MAX_BYTES)
        profile.logo.name = files.store(checked, LOGO_FOLDER)
        profile.logo_content_type = checked.content_type
    elif remove_logo:
        profile.logo.name = ""
        profile.logo_content_type = ""
    profile.save()
    new_logo = profile.logo.name if profile.logo else ""
    if old_logo and old_logo != new_logo and files.is_safe_key(old_logo, LOGO_FOLDER):
        transaction.on_commit(lambda: default_storage.delete(old_logo))
    return profile


def town_profile_ensure(*, display_name: str) -> TownProfile:
    """The town's profile, created on first use (provisioning creates it normally)."""
    profile = TownProfile.current()
    if profile is None:
        profile = TownProfile.objects.create(display_name=display_name)
    return profile
