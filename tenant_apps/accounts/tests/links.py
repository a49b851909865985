"""Reading the links the accounts e-mails carry."""

import re

LINK_RE = re.compile(r"https?://\S+?/mot-de-passe/([\w-]+)/")


def link_token(message) -> str:
    """The token of the "Créer le mot de passe" link in an e-mail."""
    found = LINK_RE.search(message.body)
    assert found, f"no password link in {message.body!r}"
    return found.group(1)
