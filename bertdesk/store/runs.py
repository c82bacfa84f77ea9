"""Training runs and their predictions."""

from __future__ import annotations

import json
import struct
import time
from collections.abc import Iterable, Sequence
from typing import Any, Optional

from sqlalchemy import delete, insert, select, update

from bertdesk.core.errors import UserInputError
from bertdesk.core.owner import status_seen_here, this_process
from bertdesk.core.types import ExampleId, LabelId, RunId, RunStatus
from bertdesk.store.models import Prediction, Run
from bertdesk.store.project_file import IN_CHUNK, ProjectFile, chunks, driver_connection, inserted_id
from bertdesk.store.records import PredictionRow, RunInfo

PREDICTION_CHUNK_ROWS = 50_000  # rows per transaction of stored predictions (~0.2 s)


class RunStore(ProjectFile):
    """The run history (parameters, status, metrics, curves) and each run's predictions."""

    def create_run(
        self, name: str, base_model: str, params: dict[str, Any], started_at: Optional[float] = None,
    ) -> RunId:
        """A new run, running; ``started_at`` for one recorded only once its work is done
        (a cross-validation), so its duration is that of the work."""
        with self._write() as conn:
            result = conn.execute(
                insert(Run).values(
                    name=name, base_model=base_model, params=json.dumps(params),
                    status=RunStatus.RUNNING.value, metrics="{}", history="[]",
                    started_at=time.time() if started_at is None else started_at,
                    owner=json.dumps(this_process()),
                )
            )
        return RunId(inserted_id(result))

    def update_run(
        self,
        run_id: RunId,
        *,
        status: Optional[RunStatus] = None,
        metrics: Optional[dict[str, Any]] = None,
        history: Optional[list[dict[str, Any]]] = None,
        params: Optional[dict[str, Any]] = None,
        error: Optional[str] = None,
        path: Optional[str] = None,
        finished: bool = False,
    ) -> None:
        values: dict[str, Any] = {}
        if status is not None:
            status = RunStatus(status)
            values["status"] = status.value
            # A resumed run is this process's now; an ended one is nobody's.
            values["owner"] = json.dumps(this_process()) if status is RunStatus.RUNNING else None
        if metrics is not None:
            values["metrics"] = json.dumps(metrics)
        if history is not None:
            values["history"] = json.dumps(history)
        if params is not None:
            values["params"] = json.dumps(params)
        if error is not None:
            values["error"] = error
        if path is not None:
            values["path"] = path
        if finished:
            values["finished_at"] = time.time()
        with self._write() as conn:
            conn.execute(update(Run).where(Run.id == run_id).values(**values))

    def runs(self) -> list[RunInfo]:
        with self._read() as conn:
            rows = conn.execute(select(Run).order_by(Run.id)).all()
        return [_run_info(r) for r in rows]

    def run(self, run_id: RunId) -> RunInfo:
        with self._read() as conn:
            row = conn.execute(select(Run).where(Run.id == run_id)).first()
        if row is None:
            raise UserInputError(
                "No run {run_id} in this project.",
                "See 'bertdesk runs'.",
                run_id=run_id,
            )
        return _run_info(row)

    def delete_run(self, run_id: RunId) -> None:
        """Forget a run and its predictions (the caller removes its model folder)."""
        with self._write() as conn:
            conn.execute(delete(Run).where(Run.id == run_id))

    # --------------------------------------------------------------- predictions
    def save_predictions(
        self,
        run_id: RunId,
        rows: Iterable[tuple[ExampleId, Optional[LabelId], Sequence[float], float, Optional[float]]],
    ) -> None:
        """Store (example, predicted label, probabilities, margin, loss) rows; replaces old ones.

        Packed before the write lock is taken, then written PREDICTION_CHUNK_ROWS at a time
        by the driver's own executemany, stepping aside between chunks for a label set that
        waits: a million rows in one SQLAlchemy transaction held the lock 11 s, past the busy
        timeout of a label key in the window. A run's predictions come from one model, so a
        crash between chunks leaves only rows its next prediction writes again alike.
        """
        payload = [
            (run_id, example_id, label_id, struct.pack(f"<{len(probs)}f", *probs), margin, loss)
            for example_id, label_id, probs, margin, loss in rows
        ]
        for chunk in chunks(payload, PREDICTION_CHUNK_ROWS):
            self._let_waiting_writes_go_first()
            with self._write() as conn:
                driver_connection(conn).executemany(
                    "INSERT OR REPLACE INTO predictions(run_id, example_id, label_id, probs,"
                    " margin, loss) VALUES (?, ?, ?, ?, ?, ?)",
                    chunk,
                )

    def predictions_stored(self, run_id: RunId) -> bool:
        """Whether any prediction of the run is stored (without reading them)."""
        with self._read() as conn:
            found = conn.execute(select(Prediction.example_id).where(Prediction.run_id == run_id).limit(1))
            return found.first() is not None

    def predictions(
        self, run_id: RunId, example_ids: Optional[Sequence[ExampleId]] = None
    ) -> list[PredictionRow]:
        query = select(Prediction).where(Prediction.run_id == run_id)
        with self._read() as conn:
            if example_ids is None:
                found = conn.execute(query.order_by(Prediction.example_id)).all()
            else:
                found = []
                for chunk in chunks(list(example_ids), IN_CHUNK):
                    found += conn.execute(query.where(Prediction.example_id.in_(chunk))).all()
        return [
            PredictionRow(
                RunId(r.run_id), ExampleId(r.example_id),
                None if r.label_id is None else LabelId(r.label_id),
                struct.unpack(f"<{len(r.probs) // 4}f", r.probs), r.margin, r.loss,
            )
            for r in found
        ]


def _run_info(r: Any) -> RunInfo:
    owner = json.loads(r.owner) if r.owner else None
    status, error = status_seen_here(RunStatus(r.status), r.error, owner)
    return RunInfo(
        RunId(r.id), r.name, r.base_model, json.loads(r.params), status,
        json.loads(r.metrics), json.loads(r.history), error, r.path,
        r.started_at, r.finished_at, owner,
    )
