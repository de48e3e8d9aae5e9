"""The client's IP address for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

Without TRUSTED_PROXY_COUNT the address is the connection's own (REMOTE_ADDR),
and X-Forwarded-For is ignored: anyone can send that header. Behind N proxies
that each append the address they received the request from, the client is
the Nth address from the right of X-Forwarded-For; addresses further left were
written by the client and are not trusted.
"""

from django.conf import settings


def client_ip(request):
    count = settings.TRUSTED_PROXY_COUNT
    remote_addr = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return remote_addr
    chain = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    if len(chain) < count:
        # Not sent through the configured proxies: the connection is the client.
        return remote_addr
    return chain[-count]
