"""Demo data of billing: tariffs for the demo services, the guide's two invoices of the ALAIN
household (000133 paid, 000380 Enregistré), and online payment with eopayment's dummy backend.

Runs after the families, services and bookings demos, inside the town's schema.
"""

import datetime as dt
from decimal import Decimal

from tenant_apps.catalog.models import Service
from tenant_apps.families.models import Child, Household

from .models import (
    BillingSettings,
    Invoice,
    InvoiceLine,
    NumberSequence,
    Payment,
    PaymentAllocation,
    PaymentTransaction,
)
from .services import BracketInput, invoice_number, tariff_create
from .services.invoicing import _payer_snapshot

TARIFF_START = dt.date(2018, 9, 1)
FLAT_PRICES = {
    "accueil périscolaire matin": "2.50",
    "accueil périscolaire soir": "3.00",
    "alsh mercredi matin": "5.00",
    "alsh mercredi après-midi": "5.00",
    "mercredi sortie vacances scolaires": "8.00",
    "alsh vacances journée": "12.00",
}
# "Cantine à 1 €": the first bracket costs 1 € at most.
CANTEEN_BRACKETS = [(0, 400, "1.00"), (401, 800, "2.40"), (801, None, "3.30")]


def _service(name: str, kind: str) -> Service:
    found = Service.objects.filter(name__iexact=name).first()
    return found or Service.objects.create(name=name, kind=kind, weekdays=[0, 1, 3, 4])


def _tariffs() -> None:
    for service in Service.objects.all():
        if service.tariffs.exists():
            continue
        if service.name.lower() == "repas enfant":
            tariff_create(service=service, label="Repas Enfant selon QF", valid_from=TARIFF_START,
                          brackets=[BracketInput(qf_min, qf_max, Decimal(price)) for qf_min, qf_max, price in CANTEEN_BRACKETS])
        else:
            price = FLAT_PRICES.get(service.name.lower(), "3.00")
            tariff_create(service=service, valid_from=TARIFF_START, unit_price=Decimal(price))


def _alain() -> tuple[Household, Child]:
    household = Household.objects.filter(name__icontains="ALAIN").order_by("pk").first()
    if household is None:
        household = Household.objects.create(name="ALAIN", address_line="1 rue des Lilas", postcode="22300",
                                             city="Lannion")
    theo = household.children.filter(first_name__iexact="Théo").first() or household.children.order_by("pk").first()
    if theo is None:
        theo = Child.objects.create(household=household, first_name="Théo", last_name="ALAIN",
                                    birth_date=dt.date(2012, 3, 14), birth_city="Lannion")
    return household, theo


def _invoice(household, *, sequence, start, end, issued_on, lines) -> Invoice:
    payer_name, payer_address, payer_email = _payer_snapshot(household)
    total = sum((Decimal(price) * quantity for _child, _service, quantity, price in lines), Decimal("0.00"))
    invoice = Invoice.objects.create(
        number=invoice_number(sequence), sequence=sequence, household=household, period_start=start, period_end=end,
        issued_on=issued_on, due_on=issued_on + dt.timedelta(days=30), total=total,
        payer_name=payer_name, payer_address=payer_address, payer_email=payer_email,
    )
    InvoiceLine.objects.bulk_create([
        InvoiceLine(invoice=invoice, child=child, service=service, child_name=f"{child.first_name} {child.last_name.upper()}",
                    service_name=service.name, quantity=quantity, unit_price=Decimal(price),
                    amount=Decimal(price) * quantity)
        for child, service, quantity, price in lines
    ])
    return invoice


def load(town) -> None:
    BillingSettings.objects.get_or_create(defaults={
        "collection_office": "Régie enfance, mairie, du lundi au vendredi de 8 h 30 à 12 h",
    })
    canteen = _service("Repas Enfant", Service.Kind.CANTEEN)
    evening = _service("Accueil périscolaire soir", Service.Kind.AFTER_SCHOOL)
    _tariffs()
    household, theo = _alain()

    march = _invoice(household, sequence=133, start=dt.date(2019, 3, 4), end=dt.date(2019, 3, 31),
                     issued_on=dt.date(2019, 4, 5), lines=[(theo, canteen, 7, "3.30")])
    paid_at = dt.datetime(2019, 4, 12, 18, 40, tzinfo=town.zoneinfo)
    tx = PaymentTransaction.objects.create(
        invoice=march, backend="dummy", order_id="000133TDEMO", provider_reference="demo-000133",
        amount=march.total, status=PaymentTransaction.Status.PAID, completed_at=paid_at,
        payer_email=march.payer_email,
    )
    payment = Payment.objects.create(household=household, invoice=march, transaction=tx, amount=march.total,
                                     method=Payment.Method.ONLINE, paid_at=paid_at, reference=tx.provider_reference)
    PaymentAllocation.objects.create(payment=payment, invoice=march, amount=march.total)
    march.amount_paid = march.total
    march.status = Invoice.Status.PAID
    march.save(update_fields=["amount_paid", "status"])

    _invoice(household, sequence=380, start=dt.date(2019, 4, 1), end=dt.date(2019, 4, 30),
             issued_on=dt.date(2019, 5, 6), lines=[(theo, canteen, 14, "3.30"), (theo, evening, 11, "3.00")])
    # Numbers continue after the imported history.
    NumberSequence.objects.update_or_create(kind=NumberSequence.Kind.INVOICE, defaults={"last_number": 380})

    # Online payment with eopayment's dummy backend (the simulated bank). The provider table is
    # public; the town schema's search path reaches it, so no schema switch is needed.
    from shared_apps.payments.models import PaymentProviderConfig
    from shared_apps.payments.services import payment_config_set

    if not PaymentProviderConfig.objects.filter(town_id=town.pk).exists():
        payment_config_set(town=town, backend="dummy", params={}, enabled=True)
