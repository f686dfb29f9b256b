"""Small helpers shared by the HTML views."""
from urllib.parse import urlsplit

from flask import flash, request, url_for


def safe_next(default_endpoint="core.home", **values):
    """Only same-site paths are followed after login (no open redirects)."""
    target = request.values.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme:
        return target
    return url_for(default_endpoint, **values)


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
