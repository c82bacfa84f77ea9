"""A small local HTTP endpoint for a trained model, using only the standard library.

``POST /predict`` with ``{"text": "..."}`` or ``{"texts": ["...", ...]}`` answers JSON with the
label and every label's probability. ``GET /health`` says it is up and how many requests wait;
``GET /labels`` what it predicts. Bad requests get a 4xx answer with a JSON body
``{"error": ..., "message": ...}``; nothing a client sends can stop the server. It listens on
127.0.0.1 unless told otherwise.

Under load, requests that arrive together are predicted together (``PredictionBatcher``): one
forward pass over 16 requests of 4 texts costs far less than 16 passes of 4. The requests
waiting for a pass are bounded; one more is answered 503 with a ``Retry-After`` that says
when the queue should have drained.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional

from bertdesk.ml.models import TextClassifier
from bertdesk.ml.predict import TextPrediction

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000
MAX_TEXTS = 256
# A body a little over the limit is read and dropped so the client hears the 413 cleanly;
# beyond this the connection is simply closed after the answer.
DRAIN_LIMIT_BYTES = 16_000_000
READ_TIMEOUT_SECONDS = 30
MAX_BATCH_TEXTS = 64  # texts predicted in one pass; 1 predicts each request alone
BATCH_WAIT_SECONDS = 0.002  # how long a lone request waits for others to join its pass
MAX_QUEUE = 64  # requests waiting for a pass; one more is answered 503
# Forward passes hold at most this many texts (the predictor's own default), or the batch
# limit where that is larger: one request of 256 texts is split, not padded into one pass.
FORWARD_BATCH = 64
# Connections arriving in a burst beyond the listen backlog are dropped by the kernel: the
# client tries again a second later, or hears a reset. With the default of 5, 64 clients each
# opening 3 connections at once got resets and 125 of 192 requests waited over a second; none
# with 256.
LISTEN_BACKLOG = 256


# Python 3.13 renamed 413 after RFC 9110 ("Content Too Large"); a client must not see an
# answer's "error" change with the Python the server runs on.
ERROR_CODES = {HTTPStatus.REQUEST_ENTITY_TOO_LARGE: "request_entity_too_large"}


def error_code(status: HTTPStatus) -> str:
    """An error answer's "error": the status's phrase in snake case, as Python before 3.13 words it."""
    return ERROR_CODES.get(status, status.phrase.lower().replace(" ", "_"))


class RequestError(Exception):
    """A request the server refuses, with the status and plain message the client gets."""

    def __init__(self, status: HTTPStatus, message: str, headers: Optional[dict[str, str]] = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class ServerBusy(Exception):
    """The queue of requests waiting for a pass is full (or the server is stopping)."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


@dataclass
class _Waiting:
    texts: list[str]
    answer: Future[list[TextPrediction]] = field(default_factory=Future)


class PredictionBatcher:
    """Predicts the texts of requests that arrive together in one pass, on one thread.

    Predictions run one pass at a time: each already uses every core, and parallel ones would
    only fight over them (and hold more memory). A request finding the batcher idle waits up
    to ``wait_seconds`` for others; requests that queued while a pass ran join the next pass
    at once, up to ``max_batch_texts`` texts (a larger request goes alone). At most
    ``max_queue`` requests wait; ``submit`` refuses one more with ``ServerBusy``.
    """

    def __init__(
        self, predictor: TextClassifier, max_batch_texts: int = MAX_BATCH_TEXTS,
        wait_seconds: float = BATCH_WAIT_SECONDS, max_queue: int = MAX_QUEUE,
    ) -> None:
        self.predictor = predictor
        self.max_batch_texts = max(1, max_batch_texts)
        self.wait_seconds = max(0.0, wait_seconds)
        self.max_queue = max(1, max_queue)
        self._waiting: deque[_Waiting] = deque()
        self._condition = threading.Condition()
        self._closed = False
        self._texts_in_pass = 0
        self._seconds_per_text: Optional[float] = None  # measured over recent passes
        self._thread = threading.Thread(target=self._run, name="bertdesk-serve-batcher", daemon=True)
        self._thread.start()

    @property
    def queue_depth(self) -> int:
        """Requests waiting for a pass (not those in the pass running now)."""
        with self._condition:
            return len(self._waiting)

    def predict(self, texts: list[str]) -> list[TextPrediction]:
        """The predictions of ``texts`` once their pass has run. Runs on a request's thread."""
        return self.submit(texts).result()

    def submit(self, texts: list[str]) -> Future[list[TextPrediction]]:
        with self._condition:
            if self._closed:
                raise ServerBusy("The server is stopping.", 1)
            if len(self._waiting) >= self.max_queue:
                raise ServerBusy(
                    f"The server is busy: {len(self._waiting)} requests are waiting, the most it "
                    "queues. Try again after the time in the Retry-After header.",
                    self._retry_after_seconds(),
                )
            waiting = _Waiting(texts)
            self._waiting.append(waiting)
            self._condition.notify()
        return waiting.answer

    def close(self) -> None:
        """Finish the pass running now; requests still waiting are answered ``ServerBusy``."""
        with self._condition:
            self._closed = True
            left, self._waiting = list(self._waiting), deque()
            self._condition.notify_all()
        for waiting in left:
            waiting.answer.set_exception(ServerBusy("The server is stopping.", 1))
        self._thread.join()

    def _retry_after_seconds(self) -> int:
        """When the texts queued and in the running pass should be done, in whole seconds."""
        texts = self._texts_in_pass + sum(len(waiting.texts) for waiting in self._waiting)
        return max(1, math.ceil(texts * (self._seconds_per_text or 0.0)))

    def _run(self) -> None:
        """Runs on the batcher's thread until ``close``."""
        while (batch := self._next_batch()) is not None:
            started = time.perf_counter()
            self._answer(batch)
            texts = sum(len(waiting.texts) for waiting in batch)
            with self._condition:
                measured = (time.perf_counter() - started) / texts
                previous = self._seconds_per_text
                self._seconds_per_text = measured if previous is None else 0.8 * previous + 0.2 * measured
                self._texts_in_pass = 0

    def _next_batch(self) -> Optional[list[_Waiting]]:
        with self._condition:
            while not self._waiting:
                if self._closed:
                    return None
                self._condition.wait()
            batch = [self._waiting.popleft()]
            texts = len(batch[0].texts)
            deadline = time.monotonic() + self.wait_seconds
            while texts < self.max_batch_texts and not self._closed:
                if not self._waiting:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    self._condition.wait(left)
                    continue
                if texts + len(self._waiting[0].texts) > self.max_batch_texts:
                    break
                batch.append(self._waiting.popleft())
                texts += len(batch[-1].texts)
            self._texts_in_pass = texts
            return batch

    def _answer(self, batch: list[_Waiting]) -> None:
        """One pass over the batch's texts; if it fails, each request is tried alone, so one
        request the model cannot take does not fail the others with it."""
        texts = [text for waiting in batch for text in waiting.texts]
        try:
            predictions = self.predictor.predict_many(texts, batch_size=max(FORWARD_BATCH, self.max_batch_texts))
        except Exception as error:
            if len(batch) == 1:
                batch[0].answer.set_exception(error)
                return
            for waiting in batch:
                self._answer([waiting])
            return
        first = 0
        for waiting in batch:
            waiting.answer.set_result(predictions[first:first + len(waiting.texts)])
            first += len(waiting.texts)


class PredictionServer(ThreadingHTTPServer):
    """Serves one loaded model (any family); its ``PredictionBatcher`` runs the predictions.

    ``max_batch_texts=1`` predicts each request alone, one at a time (batching off).
    """

    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(
        self,
        predictor: TextClassifier,
        host: str = "127.0.0.1",
        port: int = 8000,
        max_body_bytes: int = MAX_BODY_BYTES,
        max_texts: int = MAX_TEXTS,
        max_batch_texts: int = MAX_BATCH_TEXTS,
        batch_wait_seconds: float = BATCH_WAIT_SECONDS,
        max_queue: int = MAX_QUEUE,
    ) -> None:
        self.predictor = predictor
        self.max_body_bytes = max_body_bytes
        self.max_texts = max_texts
        # Made before the socket: a port in use makes socketserver call server_close, which
        # stops the batcher again.
        self.batcher = PredictionBatcher(predictor, max_batch_texts, batch_wait_seconds, max_queue)
        super().__init__((host, port), PredictionHandler)

    @property
    def url(self) -> str:
        host, port = self.socket.getsockname()[:2]
        return f"http://{host}:{port}"

    def predict(self, texts: list[str]) -> list[TextPrediction]:
        try:
            return self.batcher.predict(texts)
        except ServerBusy as busy:
            raise RequestError(
                HTTPStatus.SERVICE_UNAVAILABLE, str(busy), {"Retry-After": str(busy.retry_after_seconds)}
            ) from busy

    def server_close(self) -> None:
        super().server_close()
        self.batcher.close()


class PredictionHandler(BaseHTTPRequestHandler):
    server: PredictionServer
    protocol_version = "HTTP/1.1"
    timeout = READ_TIMEOUT_SECONDS
    server_version = "bertdesk"

    # ----------------------------------------------------------------- routing
    def do_GET(self) -> None:
        self._answer({"/health": self._health, "/labels": self._labels}, "GET")

    def do_POST(self) -> None:
        self._answer({"/predict": self._predict}, "POST")

    def do_PUT(self) -> None:
        self._answer({}, "PUT")

    def do_DELETE(self) -> None:
        self._answer({}, "DELETE")

    def do_PATCH(self) -> None:
        self._answer({}, "PATCH")

    def _answer(self, routes: dict[str, Any], method: str) -> None:
        path = self.path.split("?", 1)[0]
        try:
            if path not in routes:
                allowed = _ALLOWED_METHODS.get(path)
                self._drain_body()
                if allowed is None:
                    raise RequestError(HTTPStatus.NOT_FOUND, f"No such route: {path}. "
                                       "Use POST /predict, GET /health or GET /labels.")
                raise RequestError(
                    HTTPStatus.METHOD_NOT_ALLOWED, f"{path} answers {allowed} only, not {method}."
                )
            self._send_json(HTTPStatus.OK, routes[path]())
        except RequestError as error:
            self._send_json(
                error.status,
                {"error": error_code(error.status), "message": error.message},
                error.headers,
            )
        except Exception:  # the server must survive anything; the client hears 500
            logger.exception("prediction request failed")
            self.close_connection = True
            self._send_json(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                {"error": "internal_server_error", "message": "The prediction failed; "
                 "see the server's log."},
            )

    # ------------------------------------------------------------------ routes
    def _health(self) -> dict[str, Any]:
        batcher = self.server.batcher
        return {"status": "ok", "queue_depth": batcher.queue_depth, "max_queue": batcher.max_queue,
                "max_batch_texts": batcher.max_batch_texts}

    def _labels(self) -> dict[str, Any]:
        predictor = self.server.predictor
        return {"labels": predictor.labels, "multi_label": predictor.multi_label,
                "max_length": predictor.max_length}

    def _predict(self) -> dict[str, Any]:
        payload = self._read_json()
        if not isinstance(payload, dict) or ("text" in payload) == ("texts" in payload):
            raise RequestError(
                HTTPStatus.BAD_REQUEST,
                'Send a JSON object with either "text" (a string) or "texts" (a list of strings).',
            )
        if "text" in payload:
            texts = [payload["text"]]
        elif isinstance(payload["texts"], list):
            texts = payload["texts"]
        else:
            raise RequestError(HTTPStatus.BAD_REQUEST, '"texts" must be a list of strings.')
        if not texts:
            raise RequestError(HTTPStatus.BAD_REQUEST, '"texts" is empty: send at least one text.')
        if len(texts) > self.server.max_texts:
            raise RequestError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"{len(texts)} texts in one request; at most {self.server.max_texts} are allowed.",
            )
        for position, text in enumerate(texts):
            if not isinstance(text, str):
                raise RequestError(
                    HTTPStatus.BAD_REQUEST,
                    f"Text {position} is a {_json_type(text)}, not a string.",
                )
            if not text.strip():
                raise RequestError(HTTPStatus.BAD_REQUEST, f"Text {position} is empty.")
        predictions = [_prediction_json(p) for p in self.server.predict(texts)]
        return predictions[0] if "text" in payload else {"predictions": predictions}

    # ------------------------------------------------------------------ bodies
    def _read_json(self) -> Any:
        content_type = self.headers.get("Content-Type", "")
        media_type, _, parameters = content_type.partition(";")
        if media_type.strip().lower() != "application/json":
            self._drain_body()
            raise RequestError(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "Send the body as JSON with the header Content-Type: application/json.",
            )
        charset = parameters.strip().lower()
        if charset and charset.replace(" ", "") not in ("charset=utf-8", "charset=utf8"):
            self._drain_body()
            raise RequestError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "Send the JSON as UTF-8.")
        body = self._read_body()
        try:
            decoded = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise RequestError(
                HTTPStatus.BAD_REQUEST, f"The body is not valid UTF-8 (byte {error.start})."
            ) from error
        try:
            return json.loads(decoded)
        except json.JSONDecodeError as error:
            raise RequestError(HTTPStatus.BAD_REQUEST, f"The body is not valid JSON: {error}.") \
                from error

    def _content_length(self) -> int:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, "Send the body with a Content-Length.")
        raw = self.headers.get("Content-Length")
        if raw is None:
            return 0
        try:
            length = int(raw)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            raise RequestError(HTTPStatus.BAD_REQUEST, "The Content-Length header is not a number.")
        return length

    def _read_body(self) -> bytes:
        length = self._content_length()
        if length == 0:
            raise RequestError(HTTPStatus.BAD_REQUEST, "The body is empty: send a JSON object.")
        if length > self.server.max_body_bytes:
            self._drain_body()
            raise RequestError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"The body has {length} bytes; at most {self.server.max_body_bytes} are allowed. "
                "Send fewer or shorter texts per request.",
            )
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True
            raise RequestError(
                HTTPStatus.BAD_REQUEST, "The body is shorter than its Content-Length."
            )
        return body

    def _drain_body(self) -> None:
        """Read and drop a body we refuse, so the client can read our answer; close if huge."""
        try:
            length = self._content_length()
        except RequestError:
            return
        if length > DRAIN_LIMIT_BYTES:
            self.close_connection = True
            return
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                break
            length -= len(chunk)

    def _send_json(
        self, status: HTTPStatus, payload: dict[str, Any], headers: Optional[dict[str, str]] = None
    ) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            self.send_header("Allow", _ALLOWED_METHODS.get(self.path.split("?", 1)[0], ""))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)


_ALLOWED_METHODS = {"/predict": "POST", "/health": "GET", "/labels": "GET"}


def _prediction_json(prediction: TextPrediction) -> dict[str, Any]:
    return {
        "label": prediction.label,
        "labels": prediction.predicted_labels,
        "probabilities": prediction.probabilities,
        "windows": prediction.windows,
        "truncated": prediction.truncated,
    }


def _json_type(value: Any) -> str:
    names = {bool: "boolean", int: "number", float: "number", list: "list", dict: "object"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
