#!/usr/bin/env python3
"""Log the bench member in over HTTP and print the `session` cookie value.

  login_cookie.py --base-url http://127.0.0.1:18090 [--login bench --password ...] [--warm /t/1]
  bench.py ... --header "Cookie: session=$(login_cookie.py ...)"

Stdlib only, loopback only. Steps, as a browser does them:
  1. GET /login: Flask-WTF puts a CSRF secret in the (signed) session cookie and the
     matching token in the form's hidden csrf_token input.
  2. POST the form with that cookie: 302, and a new cookie holding the server-side
     session id ("sid"; the session row lives in the database).
  3. GET --warm (a page with forms) once: login cleared the session, so the first page
     with a form adds a fresh CSRF secret to it. Taking the cookie after that means
     the bench replays what a browser sends on its second page view, and the server
     does not mint a new CSRF secret on every request.
"""
import argparse
import http.client
import ipaddress
import re
import socket
import sys
import urllib.parse

CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"|<input[^>]*value="([^"]+)"[^>]*name="csrf_token"')


def csrf_from(html):
    m = CSRF_RE.search(html)
    if not m:
        raise SystemExit("no csrf_token input on the page")
    return m.group(1) or m.group(2)


def session_from(headers, old):
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("session="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return old


class Client:
    """One keep-alive-free HTTP client that carries the session cookie (no redirects followed)."""

    def __init__(self, base_url):
        u = urllib.parse.urlsplit(base_url)
        for info in socket.getaddrinfo(u.hostname, None):
            if not ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback:
                raise SystemExit(f"refusing non-loopback target {u.hostname}")
        self.host, self.port = u.hostname, u.port or 80
        self.cookie = ""

    def request(self, method, path, form=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Cookie": f"session={self.cookie}"} if self.cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        self.cookie = session_from(resp.getheaders(), self.cookie)
        conn.close()
        return resp.status, resp.getheader("Location", ""), text


def login(base_url, username, password, warm="/"):
    """Returns a Client whose .cookie is a signed-in session."""
    c = Client(base_url)
    status, _, html = c.request("GET", "/login")
    if status != 200:
        raise SystemExit(f"GET /login answered {status}")
    status, location, _ = c.request("POST", "/login", {
        "csrf_token": csrf_from(html), "login": username, "password": password})
    if status != 302:
        raise SystemExit(f"login failed: POST /login answered {status} (wrong password? rate limit on?)")
    if warm:
        status, _, _ = c.request("GET", warm)
        if status != 200:
            raise SystemExit(f"GET {warm} answered {status} after login")
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--login", default="bench")
    ap.add_argument("--password", default="bench-member-pass-2026")
    ap.add_argument("--warm", default="/", help="page fetched once after login (adds the CSRF secret)")
    args = ap.parse_args()
    print(login(args.base_url, args.login, args.password, args.warm).cookie)
    return 0


if __name__ == "__main__":
    sys.exit(main())
