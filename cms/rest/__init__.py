"""Wagtail's REST API v2, read-only, under the same visibility rules as GraphQL."""
