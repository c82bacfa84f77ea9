"""The HTTP server: good requests answered, bad ones refused with clear 4xx JSON, never a crash;
requests arriving together predicted in one pass; a full queue answered 503, no answer lost."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

import pytest

from bertdesk.ml.predict import Predictor
from bertdesk.serve import PredictionServer


@pytest.fixture(scope="module")
def predictor(labelled_model_dir: Path) -> Predictor:
    return Predictor.load(labelled_model_dir, device="cpu")


@contextmanager
def serving(predictor: Any, **options: Any) -> Iterator[PredictionServer]:
    """A server on a free 127.0.0.1 port, shut down and joined at the end."""
    running = PredictionServer(predictor, "127.0.0.1", 0, **options)
    thread = threading.Thread(
        target=running.serve_forever, kwargs={"poll_interval": 0.05}, name="test-serve"
    )
    thread.start()
    try:
        yield running
    finally:
        running.shutdown()
        thread.join(timeout=10)
        running.server_close()


@pytest.fixture
def server(predictor: Predictor) -> Iterator[PredictionServer]:
    with serving(predictor, max_body_bytes=100_000, max_texts=8) as running:
        yield running


def request(
    server: PredictionServer,
    method: str,
    path: str,
    body: Optional[bytes] = None,
    content_type: str = "application/json",
    answer_headers: Optional[dict[str, str]] = None,
) -> tuple[int, Any]:
    """The status and JSON body of one request; ``answer_headers`` gets the response's headers."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        headers = {"Content-Type": content_type} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = json.loads(response.read().decode("utf-8"))
        assert response.getheader("Content-Type") == "application/json; charset=utf-8"
        if answer_headers is not None:
            answer_headers.update(response.getheaders())
        return response.status, payload
    finally:
        connection.close()


def post(server: PredictionServer, payload: Any) -> tuple[int, Any]:
    return request(server, "POST", "/predict", json.dumps(payload).encode("utf-8"))


def test_health_and_labels(server: PredictionServer) -> None:
    assert request(server, "GET", "/health") == (
        200, {"status": "ok", "queue_depth": 0, "max_queue": 64, "max_batch_texts": 64}
    )
    status, body = request(server, "GET", "/labels")
    assert status == 200
    assert body["labels"] == ["negative", "positive"] and body["multi_label"] is False


def test_predicts_one_text_and_many(server: PredictionServer, predictor: Predictor) -> None:
    status, body = post(server, {"text": "服务很好 the food was great"})
    assert status == 200
    expected = predictor.predict("服务很好 the food was great")
    assert body["label"] == expected.label
    assert body["probabilities"] == pytest.approx(expected.probabilities, abs=1e-6)
    assert body["windows"] == 1 and body["truncated"] is False

    status, body = post(server, {"texts": ["good", "bad movie", "很差"]})
    assert status == 200
    assert [p["label"] for p in body["predictions"]] == [
        p.label for p in predictor.predict_many(["good", "bad movie", "很差"])
    ]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b'{"text": 5}', 400, "number, not a string"),
        (b'{"text": ""}', 400, "empty"),
        (b'{"text": "   "}', 400, "empty"),
        (b'{"texts": []}', 400, "empty"),
        (b'{"texts": "good"}', 400, "list of strings"),
        (b'{"texts": ["good", null]}', 400, "Text 1 is a null"),
        (b'{"text": "a", "texts": ["b"]}', 400, "either"),
        (b'["good"]', 400, "either"),
        (b'{"txt": "good"}', 400, "either"),
        (b"", 400, "body is empty"),
        (b'{"text": "good"', 400, "not valid JSON"),
        (b'{"text": "\xff\xfe good"}', 400, "not valid UTF-8"),
        (json.dumps({"texts": ["good"] * 9}).encode(), 413, "at most 8"),
    ],
)
def test_bad_bodies_are_refused_clearly(
    server: PredictionServer, body: bytes, status: int, message: str
) -> None:
    answer = request(server, "POST", "/predict", body)
    assert answer[0] == status
    assert message in answer[1]["message"]
    assert request(server, "GET", "/health")[0] == 200  # still serving


def test_huge_body_is_refused_with_413(server: PredictionServer) -> None:
    body = json.dumps({"text": "good " * 2_000_000}).encode()  # 10 MB
    status, answer = request(server, "POST", "/predict", body)
    assert status == 413 and answer["error"] == "request_entity_too_large"
    assert "at most 100000" in answer["message"]
    assert request(server, "GET", "/health")[0] == 200


def test_wrong_content_type_route_and_method(server: PredictionServer) -> None:
    status, answer = request(server, "POST", "/predict", b"text=good", "text/plain")
    assert status == 415 and "application/json" in answer["message"]
    status, answer = request(server, "POST", "/predict", b'{"text": "good"}',
                             "application/json; charset=latin-1")
    assert status == 415
    status, answer = request(server, "GET", "/nowhere")
    assert status == 404 and answer["error"] == "not_found"
    status, answer = request(server, "POST", "/predict/../admin", b"{}")
    assert status == 404
    status, answer = request(server, "GET", "/predict")
    assert status == 405 and "POST" in answer["message"]
    status, answer = request(server, "DELETE", "/health")
    assert status == 405


def test_keep_alive_survives_a_refused_body(server: PredictionServer) -> None:
    """A refused body is read off the connection, so the next request on it parses cleanly."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("POST", "/nowhere", body=b'{"text": "good"}',
                           headers={"Content-Type": "application/json"})
        first = connection.getresponse()
        first.read()
        connection.request("POST", "/predict", body=b'{"text": "good"}',
                           headers={"Content-Type": "application/json"})
        second = connection.getresponse()
        assert (first.status, second.status) == (404, 200)
        assert json.loads(second.read())["label"] in ("negative", "positive")
    finally:
        connection.close()


def test_garbage_on_the_socket_does_not_stop_the_server(server: PredictionServer) -> None:
    with socket.create_connection(server.server_address[:2], timeout=10) as raw:
        raw.sendall(b"\x00\x01 not http at all\r\n\r\n")
        raw.recv(1024)
    with socket.create_connection(server.server_address[:2], timeout=10) as raw:
        raw.sendall(b"POST /predict HTTP/1.1\r\nContent-Type: application/json\r\n"
                    b"Content-Length: nonsense\r\n\r\n")
        assert b" 400 " in raw.recv(1024)
    assert request(server, "GET", "/health")[0] == 200


class HeldPredictor:
    """The real predictor, whose passes wait until the test lets them run: requests pile up
    behind a held pass as they do behind a slow one under load. Records each pass's size."""

    def __init__(self, predictor: Predictor, fails_on: str = "") -> None:
        self.predictor = predictor
        self.fails_on = fails_on
        self.passes: list[int] = []
        self.in_pass = threading.Event()
        self.release = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.predictor, name)

    def predict_many(self, texts: Sequence[str], **options: Any) -> Any:
        self.passes.append(len(texts))
        self.in_pass.set()
        assert self.release.wait(30)
        if self.fails_on in texts:
            raise ValueError("the model cannot take this text")
        return self.predictor.predict_many(texts, **options)


def wait_for(condition: Any) -> None:
    for _ in range(600):
        if condition():
            return
        threading.Event().wait(0.05)
    raise AssertionError("the server did not get there in 30 s")


def post_concurrently(server: PredictionServer, bodies: list[Any]) -> tuple[list[threading.Thread], list[Any]]:
    """Start one client thread per body; each answer lands at its body's index as
    (status, payload, headers)."""
    answers: list[Any] = [None] * len(bodies)

    def send(index: int) -> None:
        headers: dict[str, str] = {}
        status, payload = request(server, "POST", "/predict", json.dumps(bodies[index]).encode(),
                                  answer_headers=headers)
        answers[index] = (status, payload, headers)

    threads = [threading.Thread(target=send, args=(index,), name=f"client-{index}") for index in range(len(bodies))]
    for thread in threads:
        thread.start()
    return threads, answers


def test_requests_arriving_together_share_one_pass(predictor: Predictor) -> None:
    held = HeldPredictor(predictor)
    with serving(held, max_batch_texts=64) as server:
        first, first_answer = post_concurrently(server, [{"text": "good"}])
        wait_for(held.in_pass.is_set)  # the first request's pass runs (and is held)
        bodies = [{"texts": ["bad movie", f"很差 {index}", "great film"]} for index in range(5)]
        others, answers = post_concurrently(server, bodies)
        wait_for(lambda: request(server, "GET", "/health")[1]["queue_depth"] == 5)
        held.release.set()
        for thread in first + others:
            thread.join(timeout=30)
    assert held.passes == [1, 15]  # the five that queued behind the first went in one pass
    assert first_answer[0][0] == 200 and same_answer(first_answer[0][1], predictor, {"text": "good"})
    for body, (status, payload, _headers) in zip(bodies, answers):
        assert status == 200 and same_answer(payload, predictor, body)


def test_a_full_queue_answers_503_and_loses_no_answer(predictor: Predictor) -> None:
    held = HeldPredictor(predictor)
    with serving(held, max_batch_texts=1, max_queue=2) as server:
        bodies = [{"texts": [f"good {index}", "awful plot"]} for index in range(12)]
        threads, answers = post_concurrently(server, bodies)
        # one request in the held pass, two queued: the other nine are refused at once
        wait_for(lambda: sum(answer is not None for answer in answers) == 9)
        assert request(server, "GET", "/health")[1]["queue_depth"] == 2
        held.release.set()
        for thread in threads:
            thread.join(timeout=30)
        assert request(server, "GET", "/health")[1]["queue_depth"] == 0
        assert post(server, {"text": "good"})[0] == 200  # still serving
    statuses = [answer[0] for answer in answers]
    assert sorted(statuses) == [200] * 3 + [503] * 9
    for body, (status, payload, headers) in zip(bodies, answers):
        if status == 200:
            assert same_answer(payload, predictor, body)
        else:
            assert payload["error"] == "service_unavailable" and "busy" in payload["message"]
            assert int(headers["Retry-After"]) >= 1


def test_a_request_the_model_fails_on_fails_alone(predictor: Predictor) -> None:
    held = HeldPredictor(predictor, fails_on="breaks the model")
    with serving(held) as server:
        first, _ = post_concurrently(server, [{"text": "good"}])
        wait_for(held.in_pass.is_set)
        bodies = [{"text": "bad movie"}, {"text": "breaks the model"}, {"text": "great film"}]
        others, answers = post_concurrently(server, bodies)
        wait_for(lambda: request(server, "GET", "/health")[1]["queue_depth"] == 3)
        held.release.set()
        for thread in first + others:
            thread.join(timeout=30)
    assert held.passes[:2] == [1, 3]  # the three shared a pass, which failed; then each alone
    assert [answer[0] for answer in answers] == [200, 500, 200]
    assert same_answer(answers[0][1], predictor, bodies[0])
    assert answers[1][1]["error"] == "internal_server_error"


def same_answer(answer: Any, predictor: Predictor, body: dict[str, Any]) -> bool:
    """Whether the server answered ``body`` with the predictor's own predictions (the
    probabilities within float noise: a pass pads its texts to the longest it holds)."""
    texts = [body["text"]] if "text" in body else body["texts"]
    given = [answer] if "text" in body else answer["predictions"]
    expected = predictor.predict_many(texts)
    return len(given) == len(expected) and all(
        one["label"] == other.label and one["probabilities"] == pytest.approx(other.probabilities, abs=1e-5)
        for one, other in zip(given, expected)
    )
