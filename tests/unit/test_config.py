"""Settings that matter are in effect (flaskbb shows how easily Celery keys are ignored)."""
import pytest

from community import create_app
from community.extensions import celery


def test_factory_defaults_are_not_testing(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMUNITY_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert not app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'community.sqlite'}"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert celery.conf.task_always_eager is True
    assert celery.conf.task_eager_propagates is True


def test_celery_reliability_settings_in_effect(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMUNITY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6399/0")
    create_app()
    conf = celery.conf
    assert conf.broker_url == "redis://127.0.0.1:6399/0"
    assert conf.task_always_eager is False
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.broker_transport_options["visibility_timeout"] == 3600
    assert conf.result_backend_transport_options["visibility_timeout"] == 3600
    assert conf.worker_cancel_long_running_tasks_on_connection_loss is True
    assert conf.broker_connection_timeout <= 5
    assert conf.task_routes["moderation.*"] == {"queue": "moderation"}
    # Retry backoff stays below the visibility timeout, or tasks would loop.
    task = celery.tasks["notifications.send_mail"]
    assert task.retry_backoff_max < conf.broker_transport_options["visibility_timeout"]
    assert task.max_retries == 5


def test_environment_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMUNITY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/pc")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("COMMUNITY_CELERY__task_time_limit", "60")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/pc"
    assert app.config["RATELIMIT_ENABLED"] is False
    assert app.config["CELERY"]["task_time_limit"] == 60
    # A real database means production: secure, host-only cookies.
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"


@pytest.mark.parametrize("secret", [None, "dev-only-not-secret", "dev"])
def test_production_refuses_default_secret(tmp_path, monkeypatch, secret):
    monkeypatch.setenv("COMMUNITY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("COMMUNITY_PRODUCTION", "true")
    if secret:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_visibility_timeout_is_configurable_and_beat_schedule_expires(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMUNITY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6399/0")
    monkeypatch.setenv("COMMUNITY_VISIBILITY_TIMEOUT", "900")
    create_app()
    assert celery.conf.broker_transport_options["visibility_timeout"] == 900
    schedule = celery.conf.beat_schedule
    assert schedule["relay-outbox"]["task"] == "periodic.relay_outbox"
    assert schedule["requeue-stale-pending"]["task"] == "periodic.requeue_stale_pending"
    assert all(entry["options"]["expires"] <= entry["schedule"] for entry in schedule.values())
    assert celery.conf.task_routes["periodic.*"] == {"queue": "periodic"}
