"""Print `export` lines for the test services that answer (used by `make test`).

PostgreSQL and Redis tests run when TEST_DATABASE_URL / TEST_REDIS_URL are set.
With CI=true both must answer: a missing service fails the run instead of skipping.
"""
import os
import sys
from urllib.parse import urlsplit

PG_URL = os.environ.get("PG_URL", "postgresql://postgres@127.0.0.1:5432/patient_commons_test")
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/13")


def postgres_ready(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable at {parts.hostname}:{parts.port}: {exc}".strip(), file=sys.stderr)
        return False


def redis_ready(url):
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError as exc:
        print(f"Redis not reachable: {exc}", file=sys.stderr)
        return False


def main():
    ci = os.environ.get("CI", "").lower() == "true"
    lines = []
    if os.environ.get("TEST_DATABASE_URL") or postgres_ready(PG_URL):
        lines.append(f"export TEST_DATABASE_URL={os.environ.get('TEST_DATABASE_URL', PG_URL)}")
    elif ci:
        sys.exit("CI=true but PostgreSQL is not reachable; .ci/run should have started it")
    if os.environ.get("TEST_REDIS_URL") or redis_ready(REDIS_URL):
        lines.append(f"export TEST_REDIS_URL={os.environ.get('TEST_REDIS_URL', REDIS_URL)}")
    elif ci:
        sys.exit("CI=true but Redis is not reachable; .ci/run should have started it")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
