import contextvars

# Set for the length of an HTTP request (cms.http.database_unavailable): only then are
# statements bounded by DATABASE_CLIENT_TIMEOUT (base.py), so management
# commands (migrate, load_demo_content) and test database set-up are not.
serving = contextvars.ContextVar("serving", default=False)
