"""The request path around the views: database outages, compression, the client's
address, redirects to the frontend, gunicorn's warm-up."""
