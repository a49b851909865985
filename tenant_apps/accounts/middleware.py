"""Signs a user out after a period of inactivity (SESSION_IDLE_TIMEOUT seconds).

The last-seen time is written to the session at most once a minute (TOUCH_SECONDS): a write
costs a session UPDATE, and the timeout is then exact to within that minute.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "_last_seen"
TOUCH_SECONDS = 60


class InactivityTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, _("Votre session a expiré après une période d'inactivité. Reconnectez-vous."))
            elif last_seen is None or now - last_seen >= TOUCH_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
