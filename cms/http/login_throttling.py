"""Login and password-reset throttling beyond django-axes' defaults.

django-axes counts failed logins per username and address and per address
alone (AXES_LOCKOUT_PARAMETERS), so one address trying many usernames is
locked out too. On a successful login axes would delete every attempt the
request matches, the address's too: anyone holding one account could then
clear the count of all the others they are guessing. `LoginAttempts` clears
only the failures of the username that logged in.

Wagtail's password reset form sends an email per request and is not a login,
so axes does not see it: `throttle_password_reset` allows
PASSWORD_RESET_LIMIT posts per address and per email address within
PASSWORD_RESET_WINDOW_MINUTES (counted in the default cache, shared by every
worker with REDIS_URL), then answers 429 with Retry-After.
"""

import hashlib
from functools import wraps

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from cms.http.client_ip import client_ip


class LoginAttempts(AxesDatabaseHandler):
    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return deleted


def _over_limit(kind, value):
    """Count one more request for `value`; whether it goes over the limit."""
    window = round(settings.PASSWORD_RESET_WINDOW_MINUTES * 60)
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:32]
    key = f"password-reset:{digest}"
    # add() starts the window only once; incr() counts within it.
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls: a new window
        cache.add(key, 1, timeout=window)
        count = 1
    return count > settings.PASSWORD_RESET_LIMIT


def throttle_password_reset(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            email = request.POST.get("email", "").strip().lower()
            # Both counted on every post, so neither can be spent on the other.
            over = [
                _over_limit("ip", client_ip(request)),
                bool(email) and _over_limit("email", email),
            ]
            if any(over):
                response = HttpResponse(
                    "Too many password reset requests. Please try again later.\n",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(round(settings.PASSWORD_RESET_WINDOW_MINUTES * 60))
                return response
        return view(request, *args, **kwargs)

    return wrapper
