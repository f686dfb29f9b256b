"""The servers as they are really started: `make run` (werkzeug's development server) and gunicorn
with community.gunicorn_conf. Access logs never hold a query string (search terms are health
data), and `make run PORT=…` e-mails links to the port it serves.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from community import create_app
from tests.conftest import base_config, free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET_TERMS = "insulin+pump+night+sweats"
SIGNUP = {"username": "porter", "email": "porter@example.org", "password": "paper-kite-river-stone",
          "birth_year": 1984, "accept_guidelines": True, "health_data_consent": True}


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("COMMUNITY_", "FLASK_", "GUNICORN_")) and k not in ("DATABASE_URL", "REDIS_URL", "MAIL_URL")}
    # As `make run` is used: no DATABASE_URL (that would mean production), SQLite in the instance folder.
    env.update(COMMUNITY_INSTANCE_PATH=str(tmp_path), RATELIMIT_ENABLED="false", PYTHONUNBUFFERED="1", **extra)
    return env


class Server:
    """A server process (and its children) started in its own process group, output collected."""

    def __init__(self, args, env, port):
        self.port = port
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True)
        self.lines = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self):
        return "".join(self.lines)

    def wait_until_up(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"server exited with {self.proc.returncode}:\n{self.output}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        pytest.fail(f"server not up after {timeout} s:\n{self.output}")

    def get(self, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as response:
            return response.status

    def post_json(self, path, data):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=json.dumps(data).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._reader.join(timeout=5)
        self.proc.stdout.close()


def _wait_for(predicate, what, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def test_make_run_logs_no_query_strings_and_mails_links_to_its_own_port(tmp_path, smtp_server, mailbox):
    port = free_port()
    env = _env(tmp_path, MAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}")
    server = Server(["make", "--no-print-directory", "run", "HOST=127.0.0.1", f"PORT={port}"], env, port)
    try:
        server.wait_until_up()
        assert server.get(f"/search?q={SECRET_TERMS}") == 200
        assert server.post_json("/api/v1/users", SIGNUP) == 202
        _wait_for(lambda: mailbox.to("porter@example.org"), "the verification e-mail")
        _wait_for(lambda: '"GET /search HTTP/1.1" 200' in server.output, "the access log line")
    finally:
        server.stop()
    # The request was logged, without its query string.
    assert "?q=" not in server.output and "insulin" not in server.output, server.output
    assert f"http://127.0.0.1:{port}/verify/" in mailbox.last_body("porter@example.org")


def test_gunicorn_logs_no_query_strings(tmp_path):
    env = _env(tmp_path)
    subprocess.run([str(BIN / "community"), "init-db"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    env.update(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1")
    server = Server([str(BIN / "gunicorn"), "-c", "python:community.gunicorn_conf", "community:create_app()"],
                    env, port)
    try:
        server.wait_until_up()
        assert server.get(f"/search?q={SECRET_TERMS}") == 200
        _wait_for(lambda: '"GET /search HTTP/1.1" 200' in server.output, "the access log line")
        # A hand-made request line with raw spaces: gunicorn's error log quotes it.
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(f"GET /search?q={SECRET_TERMS.replace('+', ' ')} HTTP/1.1\r\n\r\n".encode())
            sock.recv(1000)
        _wait_for(lambda: "Invalid request from ip=" in server.output, "gunicorn's warning")
    finally:
        server.stop()
    assert "?q=" not in server.output and not _terms_in(server.output), server.output


@pytest.mark.parametrize("query", [SECRET_TERMS, SECRET_TERMS.replace("+", " ")])
def test_the_dev_servers_own_error_lines_drop_query_strings_too(tmp_path, caplog, query):
    """werkzeug logs a malformed request's raw request line as an error: cut there as well, raw
    spaces in a hand-made request line included."""
    app = create_app(base_config(f"sqlite:///{tmp_path / 'x.sqlite'}"))
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    caplog.set_level("INFO", logger="werkzeug")
    with socket.create_connection(("127.0.0.1", server.server_port)) as sock:
        sock.sendall(f"GET /search?q={query} HTTP/1.1 surplus\r\n\r\n".encode())
        sock.recv(1000)
    thread.join(timeout=5)
    server.server_close()
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "werkzeug")
    assert "/search" in logged and not _terms_in(logged) and "?q=" not in logged, logged


def _terms_in(text):
    return [term for term in SECRET_TERMS.split("+") if term in text]
