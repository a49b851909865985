"""Demo data of the messaging app: the town's services and the guide's conversations of the ALAIN family."""

import datetime

from tenant_apps.core.clock import town_zone
from tenant_apps.core.html import format_message, format_plain_message
from tenant_apps.families.models import Household

from .models import Conversation, GroupMessage, Message
from .services import town_service_save

SERVICES = [
    ("Service enfance", "Inscriptions, attestations, questions générales.", False),
    ("Restauration scolaire", "Menus, régimes alimentaires, cantine.", False),
    ("Accueil de loisirs", "Mercredis et vacances (ALSH).", False),
]


def _at(day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(2019, 4, day, hour, minute, tzinfo=town_zone())


def _conversation(household, service, author, subject, created, messages):
    conversation = Conversation.objects.create(
        household=household, service=service, subject=subject, created_at=created,
        last_message_at=messages[-1][2],
    )
    for msg_subject, body, when, side in messages:
        Message.objects.create(
            conversation=conversation, side=side, author=author if side == Message.Side.FAMILY else None,
            subject=msg_subject, body=format_message(body), created_at=when, read_at=when,
        )
    return conversation


def load(town) -> None:
    services = {
        name: town_service_save(name=name, description=description, is_sensitive=sensitive, position=index)
        for index, (name, description, sensitive) in enumerate(SERVICES)
    }
    household = Household.objects.filter(name__iexact="ALAIN").first()
    if household is None:
        return  # the families demo did not create the guide's family: nothing to attach
    guardian = household.guardians.exclude(user=None).select_related("user").first()
    author = guardian.user if guardian else None
    enfance = services["Service enfance"]
    # Historical rows of the guide, with their own dates: written directly, no notification e-mails.
    _conversation(household, enfance, author, "Test", _at(23, 10, 37), [
        ("Test", "Test", _at(23, 10, 37), Message.Side.FAMILY),
    ])
    _conversation(household, enfance, author, "Attestation", _at(24, 9, 12), [
        ("Attestation",
         "Bonjour Madame, pouvez vous me transmettre une attestation fiscale? Merci. Bien cordialement.\n"
         "La maman de Théo", _at(24, 9, 12), Message.Side.FAMILY),
        ("Re", "Pour les trois enfants bien sûr", _at(24, 9, 12), Message.Side.FAMILY),
    ])
    _group_message(services["Restauration scolaire"])


def _group_message(service) -> None:
    """A group message already sent to every family (the staff's "Derniers envois")."""
    when = _at(25, 16, 30)
    ids = sorted(Household.objects.values_list("pk", flat=True))
    group = GroupMessage.objects.create(
        service=service, subject="Grève jeudi : pas de cantine",
        body=format_plain_message("Bonjour,\nen raison d'un mouvement de grève, la cantine sera fermée jeudi.\n"
                                  "Merci de prévoir un pique-nique."),
        audience="Toutes les familles", household_ids=ids, recipient_count=len(ids), sent_count=len(ids),
        status=GroupMessage.Status.DONE, idempotency_key="demo-greve-cantine", created_at=when, finished_at=when,
    )
    conversations = Conversation.objects.bulk_create([
        Conversation(household_id=pk, service=service, subject=group.subject, group=group, created_at=when,
                     last_message_at=when) for pk in ids
    ])
    Message.objects.bulk_create([
        Message(conversation=c, side=Message.Side.TOWN, subject=group.subject, body=group.body, created_at=when)
        for c in conversations
    ])
