"""The client's IP address for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

Without TRUSTED_PROXY_COUNT the address is the connection's own (REMOTE_ADDR),
and X-Forwarded-For is ignored: anyone can send that header. Behind N proxies
that each append the address they received the request from, the client is
the Nth address from the right of X-Forwarded-For; addresses further left were
written by the client and are not trusted.

A setting that looks wrong is logged once per process: X-Forwarded-For from
a loopback or private address while no proxy is counted (every client then
shares the proxy's address), or a chain shorter than the count. The
deployment check cms.W002 catches the usual case before start-up.
"""

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)
_warned = set()


def _warn_once(kind, message, *args):
    if kind not in _warned:
        _warned.add(kind)
        logger.warning(message, *args)


def _is_internal(address):
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private


def client_ip(request):
    count = settings.TRUSTED_PROXY_COUNT
    remote_addr = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0:
        if forwarded and _is_internal(remote_addr):
            _warn_once(
                "uncounted",
                "Requests come through a proxy at %s with X-Forwarded-For, but "
                "TRUSTED_PROXY_COUNT is 0: every client shares that address for login "
                "throttling. Set TRUSTED_PROXY_COUNT.",
                remote_addr,
            )
        return remote_addr
    chain = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(chain) < count:
        if chain:
            _warn_once(
                "short",
                "X-Forwarded-For has %d address(es), fewer than TRUSTED_PROXY_COUNT (%d).",
                len(chain),
                count,
            )
        # Not sent through the configured proxies: the connection is the client.
        return remote_addr
    return chain[-count]
