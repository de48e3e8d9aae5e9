"""Which client a search is made for, so the search log counts each client once."""

from cms.http.client_ip import client_ip
from search.models import search_client


class SearchClientMiddleware:
    """Notes the client's address (behind TRUSTED_PROXY_COUNT proxies) for
    `search.models.record_search`, for the length of one request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = search_client.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            search_client.reset(token)
