"""Caching: what an answer read (cache tags), the shared Redis cache, the GraphQL
response cache with refresh-ahead, and the CDN in front."""
