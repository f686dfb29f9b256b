"""Issue 12's "keep finding them": sweeps over the whole app rather than one finding each.

- every state-changing page route, found from the URL map (so a new one is covered the day it is
  added), refuses a request without a CSRF token and changes nothing in the database;
- a stateful schemathesis run, following the links it infers between operations (a thread's id
  from one answer into the next call), with a moderator's token so that the moderation
  endpoints are reached too: never a 5xx, every error in the envelope.
The filters' linear-time checks are in tests/unit/test_filter_growth.py and tests/test_composer_cost.py.
"""
import re

import pyotp
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import FlakyStrategyDefinition

import schemathesis
from werkzeug.routing import IntegerConverter

from community.extensions import db
from community.forums.seed import DEMO_TOTP, seed_demo

DEMO_PASSWORD = "demo-commons-2026"
# Change on every request whatever it is (the session's last sighting), not what the request asked.
VOLATILE = {"last_seen_at"}


def snapshot():
    """Every row of every table, as text: equal snapshots mean the request wrote nothing."""
    rows = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if c.name not in VOLATILE]
        rows[table.name] = sorted(map(repr, db.session.execute(sa.select(*columns)).all()))
    return rows


def csrf_of(page):
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in_with_csrf(client, username, secret):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"login": username, "password": DEMO_PASSWORD, "csrf_token": csrf_of(page)})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    response = client.post("/login/2fa", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_of(page)})
    assert response.status_code == 302 and "/login" not in response.headers["Location"]


def test_every_state_changing_page_route_refuses_a_request_without_a_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        seed_demo()
    client = app.test_client()
    sign_in_with_csrf(client, "admin", DEMO_TOTP["admin"])   # the widest powers: every route is open to it
    routes = []
    for rule in app.url_map.iter_rules():
        methods = rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
        if not methods or rule.rule.startswith("/api/"):
            continue   # the API takes bearer tokens only, never a cookie (tests/test_api.py)
        values = {arg: 1 if isinstance(rule._converters[arg], IntegerConverter) else "approve"
                  for arg in rule.arguments}
        with app.test_request_context():
            routes.append((rule.rule, sorted(methods), app.url_map.bind("localhost").build(rule.endpoint, values)))
    assert len(routes) >= 39, routes   # the penetration test counted 39 POST routes
    with app.app_context():
        before = snapshot()
    wrong = []
    for rule, methods, url in routes:
        for method in methods:
            response = client.open(url, method=method, data={"body": "x", "reason": "x", "login": "admin"})
            if response.status_code >= 500 or response.status_code in (200, 201, 204):
                wrong.append(f"{method} {rule}: {response.status_code}")
            with app.app_context():
                after = snapshot()
            changed = [table for table in before if before[table] != after[table]]
            if changed:
                wrong.append(f"{method} {rule} wrote to {changed}")
                before = after
    assert not wrong, "\n".join(wrong)


def test_stateful_api_run_with_a_moderators_token_finds_no_server_error(make_app):
    app = make_app()
    with app.app_context():
        seed_demo()
    response = app.test_client().post("/api/v1/tokens", json={
        "username": "morgan", "password": DEMO_PASSWORD, "totp_code": pyotp.TOTP(DEMO_TOTP["morgan"]).now()})
    assert response.status_code == 201, response.json
    auth = {"Authorization": f"Bearer {response.json['token']}"}
    assert app.test_client().get("/api/v1/moderation/queue", headers=auth).status_code == 200

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    workflow = schema.as_state_machine()
    # The links it inferred reach the moderation endpoints (queue -> decision).
    assert any("moderation" in name for name in workflow.bundles), list(workflow.bundles)
    failures, calls = [], []

    class Workflow(workflow):
        def get_call_kwargs(self, case):
            if case.path in ("/api/v1/tokens", "/api/v1/users"):
                return {}
            return {"headers": auth}

        def validate_response(self, response, case, **kwargs):
            calls.append(f"{case.method} {case.path}")
            if response.status_code >= 500 or (
                response.status_code >= 400 and set(response.json()["error"]) != {"code", "message", "fields"}
            ):
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}")

    # Generate only: each scenario's calls depend on what the database holds by then (the state
    # is the point), so a replay to shrink would not draw the same calls. For the same reason
    # Hypothesis may stop a run as "flaky" when two scenarios with one start meet different data;
    # the calls made until then are still checked below, and the run must have reached moderation.
    try:
        Workflow.run(settings=settings(max_examples=40, stateful_step_count=6, deadline=None, database=None,
                                       phases=[Phase.generate], suppress_health_check=list(HealthCheck)))
    except FlakyStrategyDefinition:
        pass
    assert not failures, "\n".join(failures[:10])
    assert any("/moderation/" in call for call in calls), sorted(set(calls))
