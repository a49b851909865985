"""A thin layer over eopayment: the town's provider, with the portal's return URLs.

It also adds what eopayment's `dummy` backend lacks to be testable offline: a local
"simulated bank" (see tenant_apps.billing.views.simulated_bank) whose answers carry an
HMAC signature this gateway checks, so a forged dummy notification is refused like a
forged real one.
"""

import hashlib
import hmac
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs, urlencode, urlsplit

import eopayment

from .crypto import signing_key
from .models import PaymentProviderConfig

DUMMY_SIGNATURE_FIELD = "sig"


class NotificationRejected(Exception):
    """The notification cannot be trusted (unparsable, unsigned or forged)."""


@dataclass(frozen=True)
class PaymentRequest:
    reference: str  # the provider's id of the transaction, matched by later notifications
    kind: str  # "url", "form" or "html"
    url: str = ""
    method: str = "GET"
    fields: tuple = ()
    html: str = ""


@dataclass(frozen=True)
class PaymentOutcome:
    references: tuple[str, ...]
    result: int  # eopayment's PAID, DENIED, CANCELLED, WAITING, EXPIRED, ERROR…
    amount: Decimal | None  # as reported by the provider, when it reports one
    bank_data: dict
    return_content: str | None

    @property
    def is_paid(self) -> bool:
        return self.result in (eopayment.PAID, eopayment.ACCEPTED)

    @property
    def is_waiting(self) -> bool:
        return self.result in (eopayment.WAITING, eopayment.RECEIVED)


def _dummy_signature(schema: str, fields: dict) -> str:
    message = "|".join(
        [schema, fields.get("transaction_id", ""), fields.get("amount", ""), "ok" if "ok" in fields else "ko"]
    )
    return hmac.new(signing_key(f"dummy-bank:{schema}"), message.encode(), hashlib.sha256).hexdigest()


def dummy_signed_query(schema: str, *, transaction_id: str, amount: str, paid: bool, reason: str = "") -> str:
    """The query string the simulated bank sends back for `transaction_id`."""
    fields = {"transaction_id": transaction_id, "amount": amount, "signed": "1"}
    if paid:
        fields["ok"] = "1"
    elif reason:
        fields["reason"] = reason
    fields[DUMMY_SIGNATURE_FIELD] = _dummy_signature(schema, fields)
    return urlencode(fields)


def _flat(query_string: str) -> dict:
    return {k: v[0] for k, v in parse_qs(query_string, keep_blank_values=True).items()}


class Gateway:
    def __init__(self, config: PaymentProviderConfig, *, schema: str, return_url: str, callback_url: str):
        self.config = config
        self.backend = config.backend
        self.schema = schema
        options = {**config.params, "normal_return_url": return_url, "automatic_return_url": callback_url}
        self.payment = eopayment.Payment(self.backend, options)

    @property
    def is_dummy(self) -> bool:
        return self.backend == eopayment.DUMMY

    @property
    def min_seconds_between_transactions(self) -> int:
        return self.payment.get_min_time_between_transactions()

    @property
    def has_payment_status(self) -> bool:
        return self.payment.has_payment_status

    def request(self, *, amount: Decimal, email: str, orderid: str, subject: str) -> PaymentRequest:
        kwargs = {"email": email, "orderid": orderid, "subject": subject}
        if self.backend == eopayment.PAYFIP_WS:
            kwargs = {"email": email, "refdet": orderid, "subject": subject}
        reference, kind, data = self.payment.request(str(amount), **kwargs)
        if kind == eopayment.URL:
            return PaymentRequest(reference=str(reference), kind="url", url=data)
        if kind == eopayment.FORM:
            fields = tuple((f["name"], str(f["value"])) for f in data.fields)
            return PaymentRequest(reference=str(reference), kind="form", url=data.url, method=data.method, fields=fields)
        return PaymentRequest(reference=str(reference), kind="html", html=str(data))

    def response(self, query_string: str) -> PaymentOutcome:
        # PayFiP posts `idOp`, eopayment reads `idop`.
        if self.backend == eopayment.PAYFIP_WS and "idOp=" in query_string and "idop=" not in query_string:
            query_string = query_string.replace("idOp=", "idop=")
        if self.is_dummy:
            self._check_dummy_signature(query_string)
        try:
            response = self.payment.response(query_string)
        except Exception as error:  # eopayment raises ResponseError or backend-specific errors
            raise NotificationRejected(f"unreadable notification: {error}") from error
        if not response.signed:
            raise NotificationRejected("unsigned notification")
        return self._outcome(response)

    def status(self, reference: str, *, started_at) -> PaymentOutcome:
        response = self.payment.payment_status(reference, transaction_date=started_at)
        return self._outcome(response, fallback_reference=reference)

    def _check_dummy_signature(self, query_string: str) -> None:
        fields = _flat(query_string)
        given = fields.pop(DUMMY_SIGNATURE_FIELD, "")
        expected = _dummy_signature(self.schema, fields)
        if not given or not hmac.compare_digest(given, expected):
            raise NotificationRejected("bad signature")

    def _outcome(self, response, fallback_reference: str = "") -> PaymentOutcome:
        references = tuple(
            str(r) for r in {response.order_id, response.transaction_id, fallback_reference} if r
        )
        bank_data = {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in (response.bank_data or {}).items()}
        bank_data = {k: v if isinstance(v, str | int | float | bool | type(None)) else str(v) for k, v in bank_data.items()}
        result = response.result
        if self.is_dummy and result == eopayment.ERROR:
            # The simulated bank says why it did not pay, as real providers do (PayFiP reports a
            # payment page left without paying, "abandoned", as cancelled).
            result = {"refused": eopayment.DENIED, "cancelled": eopayment.CANCELLED,
                      "abandoned": eopayment.CANCELLED}.get(
                str(bank_data.get("reason", "")), result
            )
        return PaymentOutcome(
            references=references,
            result=result,
            amount=self._reported_amount(bank_data),
            bank_data=bank_data,
            return_content=response.return_content,
        )

    def _reported_amount(self, bank_data: dict) -> Decimal | None:
        try:
            if self.is_dummy and bank_data.get("amount"):
                return Decimal(str(bank_data["amount"]))
            if self.backend in (eopayment.PAYFIP_WS, eopayment.TIPI) and bank_data.get("montant"):
                return Decimal(str(bank_data["montant"])) / 100
        except InvalidOperation:
            return Decimal("-1")
        return None


def local_dummy_bank_query(provider_url: str) -> str:
    """The query of the dummy backend's payment URL, to show it on the simulated bank page."""
    return urlsplit(provider_url).query
