"""JSON API v1: the same services as the pages, bearer tokens, generated OpenAPI."""
import hashlib

from flask import jsonify, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from ..errors import ServiceError

PREFIX = "/api/v1"


class JsonApi(Api):
    # Documented error responses use our envelope, not flask-smorest's default shape.
    from .schemas import Error as ERROR_SCHEMA

    def _register_error_handlers(self):
        """The HTML pages keep their own error pages; init_app() adds JSON errors under /api/."""


api = JsonApi()


def is_api_request():
    return request.path.startswith(PREFIX + "/") or request.path == PREFIX


def error_response(status, code, message, fields=None):
    response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    response.status_code = status
    return response


def http_error_json(exc: HTTPException):
    """A werkzeug/flask-smorest error as {"error": {"code", "message", "fields"}}."""
    fields, general = {}, []
    messages = (getattr(exc, "data", None) or {}).get("messages") or {}
    for location in messages.values():
        if isinstance(location, dict):
            for name, problems in location.items():
                target = general if name == "_schema" else None
                if target is None:
                    fields[name] = " ".join(_flatten(problems))
                else:
                    target.extend(_flatten(problems))
        else:
            general.extend(_flatten(location))
    names = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
             409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "validation_failed",
             429: "rate_limited"}
    code = names.get(exc.code, "error")
    message = " ".join(general) or ("Please correct the listed fields." if fields else exc.description or exc.name)
    if exc.code == 429:
        message = "Too many requests. Please slow down and try again in a minute."
    response = error_response(exc.code, code, message, fields)
    if exc.code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _flatten(problems):
    if isinstance(problems, dict):
        for value in problems.values():
            yield from _flatten(value)
    elif isinstance(problems, (list, tuple)):
        for value in problems:
            yield from _flatten(value)
    else:
        yield str(problems)


def service_error_json(exc: ServiceError):
    response = error_response(exc.status, exc.code, exc.message, exc.fields)
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def rate_limit_key():
    """Per token for API callers, per address otherwise."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return "tok:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:24]
    return request.remote_addr or "-"


def init_app(app):
    from ..extensions import csrf
    from .views import blueprints

    app.config.setdefault("API_TITLE", "Patient Commons API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "info": {"description": "Bearer tokens from POST /api/v1/tokens. Errors are "
                                "{\"error\": {\"code\", \"message\", \"fields\"}}. A POST with an "
                                "Idempotency-Key header (8-255 characters) sent again within 10 minutes with the "
                                "same key, token owner and body gets the first answer again (header "
                                "Idempotent-Replayed: true) instead of running twice; the same key with a "
                                "different request is refused (422 idempotency_key_reused), and while the first "
                                "is still running a repeat waits, then answers 409 idempotency_key_in_use. A request "
                                "whose work was saved but whose answer was lost answers 409 idempotency_key_done "
                                "to a repeat."},
    })
    from ..idempotency import openapi_plugin

    api.init_app(app, spec_kwargs={"extra_plugins": [openapi_plugin()]})
    from .. import IdConverter

    api.register_converter(
        IdConverter, lambda conv: {"type": "integer", "minimum": 0, "maximum": IdConverter.MAX}
    )
    for blp in blueprints:
        api.register_blueprint(blp)
        # Bearer tokens, not cookies, authenticate here: nothing for CSRF to forge.
        csrf.exempt(blp)
