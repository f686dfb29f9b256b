"""Small helpers shared by the HTML views."""
from urllib.parse import urlsplit

from flask import flash, request, url_for


def safe_path(target, prefix="/"):
    """`target` if it is a path on this site under `prefix`, else None. Browsers read a backslash
    as a slash ("/\\evil.example" is another host) and a CR or LF cannot go into a header."""
    target = target or ""
    if not target.startswith(prefix) or target.startswith("//") or "\\" in target:
        return None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7f for ch in target):
        return None
    parts = urlsplit(target)
    return target if not parts.netloc and not parts.scheme else None


def safe_next(default_endpoint="core.home", **values):
    """Only same-site paths are followed after login (no open redirects)."""
    return safe_path(request.values.get("next")) or url_for(default_endpoint, **values)


def apply_errors(form, exc):
    """Copy a service's field messages onto the form; the rest becomes a flash message."""
    shown = False
    for name, message in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors or []) + [message]
            shown = True
    if not shown or not exc.fields:
        flash(exc.message, "error")
