"""The one way an amount of money is written for people: "79,20 €", "1 234,50 €" (French
decimal comma, non-breaking spaces between thousands and before the euro sign)."""

from decimal import Decimal, InvalidOperation

NBSP = "\u00a0"


def format_money(amount) -> str:
    """"79,20 €" for Decimal("79.2"); "" for None or what is not a number."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if value < 0 else ""
    units, cents = f"{abs(value):.2f}".split(".")
    groups: list[str] = []
    while len(units) > 3:
        groups.insert(0, units[-3:])
        units = units[:-3]
    groups.insert(0, units)
    return f"{sign}{NBSP.join(groups)},{cents}{NBSP}€"
