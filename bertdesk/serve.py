"""A small local HTTP endpoint for a trained model, using only the standard library.

``POST /predict`` with ``{"text": "..."}`` or ``{"texts": ["...", ...]}`` answers JSON with the
label and every label's probability. ``GET /health`` and ``GET /labels`` say it is up and what
it predicts. Bad requests get a 4xx answer with a JSON body ``{"error": ..., "message": ...}``;
nothing a client sends can stop the server. It listens on 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import json
import logging
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bertdesk.ml.models import TextClassifier
from bertdesk.ml.predict import TextPrediction

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000
MAX_TEXTS = 256
# A body a little over the limit is read and dropped so the client hears the 413 cleanly;
# beyond this the connection is simply closed after the answer.
DRAIN_LIMIT_BYTES = 16_000_000
READ_TIMEOUT_SECONDS = 30


class RequestError(Exception):
    """A request the server refuses, with the status and plain message the client gets."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class PredictionServer(ThreadingHTTPServer):
    """Serves one loaded model (any family). Predictions run one at a time: each already uses every core, and
    parallel ones would only fight over them (and hold more memory)."""

    daemon_threads = True

    def __init__(
        self,
        predictor: TextClassifier,
        host: str = "127.0.0.1",
        port: int = 8000,
        max_body_bytes: int = MAX_BODY_BYTES,
        max_texts: int = MAX_TEXTS,
    ) -> None:
        super().__init__((host, port), PredictionHandler)
        self.predictor = predictor
        self.max_body_bytes = max_body_bytes
        self.max_texts = max_texts
        self.predict_lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.socket.getsockname()[:2]
        return f"http://{host}:{port}"

    def predict(self, texts: list[str]) -> list[TextPrediction]:
        with self.predict_lock:
            return self.predictor.predict_many(texts)


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
                {"error": error.status.phrase.lower().replace(" ", "_"), "message": error.message},
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
        return {"status": "ok"}

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

    def _send_json(self, status: HTTPStatus, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
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
