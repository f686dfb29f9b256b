"""A microcache for visitors' pages, in front of Flask.

Every visitor (no session cookie, no token) may see exactly the same public pages, so one
copy serves them all for a few seconds. Signed-in members, non-GET requests, the API and
anything that sets a cookie or says no-store always reach the app.
"""
import secrets
import time
from collections import OrderedDict

SKIP_PREFIXES = ("/api/", "/static/", "/healthz", "/readyz", "/login", "/signup", "/password", "/verify")


class PageCache:
    def __init__(self, wsgi_app, seconds, cookie_name="session", max_entries=1000, max_body=512 * 1024):
        self.wsgi_app = wsgi_app
        self.seconds = seconds
        self.cookie = cookie_name + "="
        self.max_entries = max_entries
        self.max_body = max_body
        self.entries = OrderedDict()

    def cacheable_request(self, environ):
        return (
            environ["REQUEST_METHOD"] == "GET"
            and self.cookie not in environ.get("HTTP_COOKIE", "")
            and "HTTP_AUTHORIZATION" not in environ
            and not environ.get("PATH_INFO", "").startswith(SKIP_PREFIXES)
        )

    def __call__(self, environ, start_response):
        if not self.cacheable_request(environ):
            return self.wsgi_app(environ, start_response)
        key = (environ.get("HTTP_HOST", ""), environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
               environ.get("QUERY_STRING", ""))
        now = time.monotonic()
        entry = self.entries.get(key)
        if entry is not None and entry[0] > now:
            _, status, headers, body = entry
            # Each answer still gets its own request id.
            start_response(status, headers + [("X-Request-ID", secrets.token_hex(8)), ("X-Cache", "hit")])
            return [body]

        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        self._maybe_store(key, now, captured, body)
        return [body]

    def _maybe_store(self, key, now, captured, body):
        status, headers = captured.get("status", ""), captured.get("headers", [])
        names = {name.lower(): value for name, value in headers}
        if (not status.startswith("200") or "set-cookie" in names or "no-store" in names.get("cache-control", "")
                or len(body) > self.max_body):
            return
        kept = [(n, v) for n, v in headers if n.lower() != "x-request-id"]
        self.entries[key] = (now + self.seconds, status, kept, body)
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)
