"""French e-mails of the accounts app, HTML and plain text, rendered in the town's context."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from tenant_apps.core.text import one_line


def send_templated_mail(*, to: str | list[str], subject: str, template: str, context: dict) -> None:
    """One e-mail (to one address, or one message to several: a family's guardians)."""
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    # A line break in a header makes Django refuse the whole e-mail (BadHeaderError): the
    # services keep subjects on one line, this covers what was stored before they did.
    message = EmailMultiAlternatives(one_line(subject), text, settings.DEFAULT_FROM_EMAIL,
                                     [to] if isinstance(to, str) else to)
    message.attach_alternative(html, "text/html")
    message.send()
