"""benchmarks/load.py's requests: any answer but 200, a dropped connection or a request slower than
the timeout stops the run naming the request, and the figures keep each page kind apart."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from benchmarks.load import LoadFailure, page_kind, run_phase


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if self.path == "/drop":
            self.connection.close()  # no answer at all
            return
        if self.path == "/slow":
            time.sleep(1.5)
        status = {"/bad": 500, "/login": 302}.get(self.path, 200)
        body = b"went wrong" if status == 500 else b"fine"
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "/accounts/login/?next=/")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        return None


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        return None  # a client that gave up on a slow answer is what the test wants


@pytest.fixture
def port() -> Iterator[int]:
    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_every_answer_counts_and_each_page_kind_is_kept_apart(port) -> None:
    by_page: dict[str, list[float]] = {}
    urls = ["/", "/schools/100020/evidence/", "/schools/?q=saint"]
    times, seconds = run_phase(port, ["a", "b"], urls, 0.5, by_page=by_page)
    assert times and seconds >= 0
    assert set(by_page) == {"home", "school evidence", "school search"}
    assert sum(len(t) for t in by_page.values()) == len(times)


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/bad", "GET /bad answered 500: went wrong"),
        ("/login", "GET /login answered 302: /accounts/login/?next=/"),
        ("/drop", "GET /drop failed after"),
        ("/slow", "GET /slow failed after"),
    ],
)
def test_a_request_that_is_not_200_stops_the_run_and_is_named(port, path, said) -> None:
    with pytest.raises(LoadFailure, match="request\\(s\\) failed") as failed:
        run_phase(port, ["a", "b", "c"], ["/", path], 5, timeout=0.5)
    assert said in str(failed.value)
    assert isinstance(failed.value, SystemExit)  # ends the script with its message, exit code 1


def test_page_kinds() -> None:
    assert page_kind("/plans/") == "plans"
    assert page_kind("/evidence/") == "province evidence"
    assert page_kind("/boards/B66000/evidence/") == "board evidence"
