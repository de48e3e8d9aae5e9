vcl 4.1;

# Varnish in front of the CMS API (Varnish 7 with varnish-modules' xkey, e.g.
# Debian's `varnish` and `varnish-modules`). Run the app with CDN=varnish and
# CDN_PURGE_URL=http://<this varnish>:<port>: public answers then carry their
# cache tags in an `xkey` header and `s-maxage`, and every publish, unpublish,
# move or edit sends `PURGE /` with the tags it retires in `xkey-purge`
# (cms/caching/cdn.py). Set the backend and the purgers' network for your deployment.

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may purge: the app servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone));
        }
        return (purge);  # a URL, as Wagtail's HTTP backend purges pages
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Only the API is public and the same for everyone; the admin, previews
    # and anything with credentials go straight to the app.
    if (req.url !~ "^/(graphql/?|api/v2/)" || req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);  # a logged-in editor: the app decides
    }
    unset req.http.Cookie;  # analytics and other cookies change no answer
    # The app answers by the scheme the TLS proxy saw (X-Forwarded-Proto):
    # a plain-HTTP request gets a redirect to HTTPS. Only two values, so a
    # client cannot split the cache with made-up ones; vcl_hash keys on it.
    if (req.http.X-Forwarded-Proto ~ "(?i)^\s*https\s*$") {
        set req.http.X-Forwarded-Proto = "https";
    } else {
        set req.http.X-Forwarded-Proto = "http";
    }
    # Compression (cms/http/compression.py): Varnish does gzip itself (it asks the
    # app for gzip, keeps that, and gunzips for clients without it), but knows
    # nothing of brotli and rewrites Accept-Encoding to `gzip` or nothing
    # after this sub. Clients that accept br (and do not refuse it with q=0)
    # get a variant of their own, fetched from the app with `br`.
    unset req.http.X-Brotli;
    if (req.http.Accept-Encoding ~ "(?i)(^|,)\s*br\s*(;|,|$)" &&
        req.http.Accept-Encoding !~ "(?i)(^|,)\s*br\s*;\s*q\s*=\s*0(\.0*)?\s*(,|$)") {
        set req.http.X-Brotli = "br";
    }
    return (hash);
}

sub vcl_hash {
    # What the answer varies on beyond the URL and host (the built-in
    # vcl_hash adds those after this): the scheme, and the brotli variant.
    hash_data(req.http.X-Forwarded-Proto);
    if (req.http.X-Brotli) {
        hash_data("br");
    }
}

sub vcl_backend_fetch {
    if (bereq.http.X-Brotli) {
        set bereq.http.Accept-Encoding = "br";
    }
    unset bereq.http.X-Brotli;
}

sub vcl_backend_response {
    # The app says what shared caches may keep (s-maxage, until a purge);
    # `no-cache`, `no-store` or `private` answers are not kept (Varnish's
    # built-in rules), nor are errors other than a 404.
    if (beresp.status >= 500) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    # Never a redirect, whatever it says: one depends on more than the URL
    # (the scheme, the session), and the app marks them private anyway.
    if (beresp.status == 301 || beresp.status == 302 || beresp.status == 303 ||
        beresp.status == 307 || beresp.status == 308) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
}

sub vcl_deliver {
    # The tags are for purging here, not for clients.
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
