"""The HTTP server: good requests answered, bad ones refused with clear 4xx JSON, never a crash."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import pytest

from bertdesk.ml.predict import Predictor
from bertdesk.serve import PredictionServer


@pytest.fixture(scope="module")
def predictor(labelled_model_dir: Path) -> Predictor:
    return Predictor.load(labelled_model_dir, device="cpu")


@pytest.fixture
def server(predictor: Predictor) -> Iterator[PredictionServer]:
    """A server on a free 127.0.0.1 port, shut down and joined at the end of the test."""
    running = PredictionServer(predictor, "127.0.0.1", 0, max_body_bytes=100_000, max_texts=8)
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


def request(
    server: PredictionServer,
    method: str,
    path: str,
    body: Optional[bytes] = None,
    content_type: str = "application/json",
) -> tuple[int, Any]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        headers = {"Content-Type": content_type} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = json.loads(response.read().decode("utf-8"))
        assert response.getheader("Content-Type") == "application/json; charset=utf-8"
        return response.status, payload
    finally:
        connection.close()


def post(server: PredictionServer, payload: Any) -> tuple[int, Any]:
    return request(server, "POST", "/predict", json.dumps(payload).encode("utf-8"))


def test_health_and_labels(server: PredictionServer) -> None:
    assert request(server, "GET", "/health") == (200, {"status": "ok"})
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
