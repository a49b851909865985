"""Invoice and credit-note numbers: one gap-free sequence per kind, allocated in the
transaction that saves the document."""

from django.db import connection

from ..models import NumberSequence


def number_allocate(*, kind: str) -> int:
    """The next number of `kind`. Must run inside the transaction that saves the document:
    the UPDATE locks the counter row until that transaction ends, and a rollback gives the
    number back, so numbers have no gap."""
    if not connection.in_atomic_block:
        raise RuntimeError("number_allocate() must run inside the document's transaction")
    table = NumberSequence._meta.db_table
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" SET last_number = last_number + 1 WHERE kind = %s RETURNING last_number',  # noqa: S608
                [kind],
            )
            row = cursor.fetchone()
        if row is not None:
            return row[0]
        NumberSequence.objects.get_or_create(kind=kind)  # a schema older than migration 0002
    raise RuntimeError(f"number sequence {kind!r} unavailable")


def invoice_number(sequence: int) -> str:
    return f"{sequence:06d}"


def credit_note_number(sequence: int) -> str:
    return f"AV{sequence:06d}"
