"""Commands that use a trained model: ``predict``, ``export-model`` and ``serve``.

Each takes a project file (its current run, or the run given with ``--run``) or a model folder.
"""

from __future__ import annotations

import argparse
import errno
import time
from pathlib import Path
from typing import Any, Optional

from bertdesk.cli.project_commands import add_header_option
from bertdesk.cli.text_columns import counted, label_cell, listed_lines, ljust
from bertdesk.core import RunId, Split, UserInputError
from bertdesk.core.text_width import display_width
from bertdesk.serve import BATCH_WAIT_SECONDS, MAX_BATCH_TEXTS, MAX_QUEUE
from bertdesk.store import PROJECT_SUFFIX, ExampleFilter, Project

SHOWN_PROBABILITIES = 10  # label bars printed for one text; more are counted
EXPORT_SAMPLE_TEXTS = 64  # validation texts used for the parity check
EXPORT_LABELLED_TEXTS = 1000  # validation texts used for the accuracy comparison


def register(subparsers: Any) -> None:
    predict = subparsers.add_parser(
        "predict",
        help="predict labels for a text, a file, or the project's own texts",
        description=(
            "Predict with a trained model. SOURCE is a project file (its current run, or --run) "
            "or a model folder. Give --text for one text, --input/--output for a file "
            "(CSV, TSV, TXT, JSONL, XLSX, Parquet in; CSV, XLSX or JSONL out), or --store to "
            "save predictions for the project's texts as suggestions in the labeling view."
        ),
    )
    _add_source(predict)
    what = predict.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", action="append", help="a text to predict (repeatable)")
    what.add_argument("--input", type=Path, help="a file of texts to predict")
    what.add_argument("--store", action="store_true",
                      help="predict the project's texts and store them with the run")
    predict.add_argument("--output", type=Path,
                         help="where to write the predictions of --input (.csv, .xlsx, .jsonl)")
    predict.add_argument("--text-col", help="the column holding the texts (default: guessed)")
    predict.add_argument("--encoding", help="the input file's encoding (default: detected)")
    predict.add_argument("--delimiter", help="the input file's delimiter (default: detected)")
    predict.add_argument("--sheet", help="the sheet of an .xlsx input (default: the first that holds anything)")
    add_header_option(predict)
    predict.add_argument("--unlabeled", action="store_true",
                         help="with --store: only the texts without a label")
    predict.add_argument("--long-text", choices=("window", "truncate"), default="window",
                         help="texts longer than the model's window: cover them with "
                         "overlapping windows (default) or read only the start")
    predict.add_argument("--batch-size", type=int, default=64, help="texts per batch (64)")
    _add_device(predict)
    predict.set_defaults(func=run_predict)

    export = subparsers.add_parser(
        "export-model",
        help="export a trained model as a Hugging Face folder, ONNX or int8 ONNX",
        description=(
            "Export a run's model. 'hf' is the Hugging Face folder (pipeline-ready, with a model "
            "card); 'onnx' is checked against PyTorch (probabilities within 1e-4); 'onnx-int8' "
            "is about 4x smaller and faster on CPUs: its accuracy on the validation texts and its "
            "speed are printed beside the full model's."
        ),
    )
    _add_source(export)
    export.add_argument("--format", required=True, choices=("hf", "onnx", "onnx-int8"))
    export.add_argument("--output", required=True, type=Path, help="a new folder to export into")
    export.set_defaults(func=run_export)

    serve = subparsers.add_parser(
        "serve",
        help="answer predictions over HTTP (POST /predict)",
        description=(
            "Serve a model on a local HTTP endpoint. POST /predict with "
            '{"text": "..."} or {"texts": [...]}; GET /health; GET /labels. '
            "Listens on 127.0.0.1 only unless --host says otherwise. Ctrl-C stops it."
        ),
    )
    _add_source(serve)
    serve.add_argument("--port", type=_port, default=8000, help="the port to listen on (8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (127.0.0.1: this computer only)")
    serve.add_argument("--max-body-bytes", type=int, default=1_000_000,
                       help="largest request body accepted (1000000)")
    serve.add_argument("--max-texts", type=int, default=256,
                       help="most texts in one request (256)")
    serve.add_argument("--max-batch", type=int, default=MAX_BATCH_TEXTS,
                       help=f"most texts of requests arriving together predicted in one pass "
                       f"({MAX_BATCH_TEXTS}; 1 predicts each request alone)")
    serve.add_argument("--batch-wait-ms", type=float, default=BATCH_WAIT_SECONDS * 1000,
                       help="how long a lone request waits for others to share its pass "
                       f"({BATCH_WAIT_SECONDS * 1000:g} ms)")
    serve.add_argument("--max-queue", type=int, default=MAX_QUEUE,
                       help=f"most requests waiting; one more is answered 503 with Retry-After ({MAX_QUEUE})")
    _add_device(serve)
    serve.set_defaults(func=run_serve)


def _add_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", type=Path, metavar="PROJECT|FOLDER",
                        help=f"a project file ({PROJECT_SUFFIX}) or a model folder")
    parser.add_argument("--run", type=int,
                        help="the run of the project to use (default: its current run, "
                        "else its latest finished run)")


def _add_device(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda", "mps"),
                        help="where the model runs (auto: a GPU when there is one)")
    parser.add_argument("--precision", default="fp32", choices=("fp32", "bf16"),
                        help="bf16: about a third faster on recent CPUs, slightly less exact")


def _open_source(args: argparse.Namespace) -> tuple[Optional[Project], Optional[RunId], Path]:
    """The project (if SOURCE is one), the run and the model folder SOURCE and --run name."""
    from bertdesk.ml.predict import run_model_folder

    source: Path = args.source
    if source.is_file() and source.suffix != PROJECT_SUFFIX:
        raise UserInputError(
            f"{source} is neither a project ({PROJECT_SUFFIX}) nor a model folder.",
            "Pass the project file, or the folder holding the model's config.json.",
        )
    if source.suffix == PROJECT_SUFFIX:
        project = Project.open(source)
        try:
            run_id, folder = run_model_folder(
                project, None if args.run is None else RunId(args.run)
            )
        except Exception:
            project.close()
            raise
        return project, run_id, folder
    if args.run is not None:
        raise UserInputError("--run needs a project file, not a folder.", "Leave out --run.")
    if not source.is_dir():
        raise UserInputError(f"No project or model folder at {source}.", "Check the path.")
    return None, None, source


def run_predict(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.ml.models import load_predictor
    from bertdesk.ml.predict import predict_file, predict_project

    if args.input is not None and args.output is None:
        raise UserInputError("--input needs --output.", "Add --output predictions.csv.")
    if args.input is None and args.output is not None:
        raise UserInputError("--output goes with --input.", "Add --input FILE.")
    blank = [position for position, text in enumerate(args.text or [], start=1) if not text.strip()]
    if blank:
        raise UserInputError(
            "--text number {position} is empty: there is nothing to predict.",
            'Give the text in quotes, e.g. --text "The delivery was fast".', position=blank[0],
        )
    project, run_id, folder = _open_source(args)
    try:
        if args.store and project is None:
            raise UserInputError("--store needs a project file.", "Pass the project, not a folder.")
        predictor = load_predictor(folder, device=args.device, precision=args.precision)
        if args.text:
            for prediction in predictor.predict_many(
                args.text, batch_size=args.batch_size, long_text=args.long_text
            ):
                _print_prediction(prediction)
            return 0
        if args.input is not None:
            from bertdesk.io import ImportOptions

            options = ImportOptions(
                text_column=args.text_col, encoding=args.encoding, delimiter=args.delimiter,
                sheet=args.sheet, header=args.header, skip_duplicates=False,
            )
            with ctx.progress_bar("Predicting") as bar:
                predicted = predict_file(
                    predictor, args.input, args.output, options, progress=bar,
                    cancel=ctx.cancel, batch_size=args.batch_size,
                )
            guessed = (", its values being the longest (name another with --text-col NAME)"
                       if predicted.text_column_guessed else "")
            print(f"{counted(predicted.rows, 'row')} predicted from the column {predicted.text_column!r}{guessed}; "
                  f"written to {args.output}")
            if predicted.empty:
                print(f"Left out {counted(predicted.empty, 'row')} with no text.")
            if predicted.unreadable:
                print(f"Left out {counted(len(predicted.unreadable), 'line')} that cannot be read:")
                print("\n".join(listed_lines(predicted.unreadable)))
            return 0
        assert project is not None and run_id is not None
        with ctx.progress_bar("Predicting") as bar:
            count = predict_project(
                project, run_id, predictor, ExampleFilter(unlabeled=args.unlabeled),
                progress=bar, cancel=ctx.cancel, batch_size=args.batch_size,
            )
        print(f"{count} texts predicted with run {run_id}; stored as suggestions.")
        return 0
    finally:
        if project is not None:
            project.close()


def _print_prediction(prediction: Any) -> None:
    """The chosen label(s), then the likeliest labels as bars: every chosen one and up to
    ``SHOWN_PROBABILITIES`` in all, the rest counted (150 intents printed 150 lines)."""
    from bertdesk.ml.predict import likeliest_labels

    ranked, rest = likeliest_labels(prediction.probabilities, prediction.predicted_labels, SHOWN_PROBABILITIES)
    width = max(display_width(label_cell(name)) for name, _ in ranked)
    note = ""
    if prediction.windows > 1:
        note = f"  (long text: {prediction.windows} overlapping windows)"
    elif prediction.truncated:
        note = "  (long text: only its start was read)"
    chosen = ", ".join(prediction.predicted_labels) or "(no label reaches its threshold)"
    print(f"{chosen}{note}")
    for name, probability in ranked:
        print(f"  {ljust(label_cell(name), width)}  {probability:6.1%}  {'#' * round(probability * 20)}")
    if rest:
        print(f"  … and {len(rest):,} more labels, none above {max(rest):.1%}")


def run_export(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.ml.export import export_model

    project, _run_id, folder = _open_source(args)
    try:
        sample_texts: list[str] = []
        labelled: list[tuple[str, str]] = []
        if project is not None:
            names = {label.id: label.name for label in project.labels()}
            validation = project.labelled_examples([Split.VALIDATION])
            sample_texts = [text for _, text, _, _ in validation[:EXPORT_SAMPLE_TEXTS]]
            labelled = [
                (text, names[label_ids[0]])
                for _, text, label_ids, _ in validation[:EXPORT_LABELLED_TEXTS]
                if len(label_ids) == 1
            ]
    finally:
        if project is not None:
            project.close()
    started = time.perf_counter()
    with ctx.progress_bar("Exporting") as bar:
        report = export_model(
            folder, args.output, args.format, sample_texts, labelled, progress=bar,
            cancel=ctx.cancel,
        )
    print(f"Exported {args.format} to {report.path} ({report.size_bytes / 1e6:.1f} MB) "
          f"in {time.perf_counter() - started:.0f} s")
    if report.parity_max_abs_diff is not None:
        print(f"  largest probability difference from PyTorch: {report.parity_max_abs_diff:.2g}")
    if report.accuracy is not None and report.reference_accuracy is not None:
        print(f"  accuracy on {len(labelled)} validation texts: {report.accuracy:.2%} "
              f"(PyTorch model: {report.reference_accuracy:.2%})")
    if report.latency_ms is not None and report.reference_latency_ms is not None:
        print(f"  one text takes {report.latency_ms:.1f} ms "
              f"(PyTorch model: {report.reference_latency_ms:.1f} ms)")
    return 0


def _port(value: str) -> int:
    """A TCP port number: 0 (any free port) to 65535."""
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0 to 65535)")
    return number


def _listen_hint(error: OSError) -> str:
    """What to change when the server cannot take its address: the port, or the host."""
    if error.errno == errno.EADDRINUSE:
        return "Pick another port with --port (or stop the program that uses this one)."
    if error.errno == errno.EACCES:
        return "Ports below 1024 need administrator rights: pick one from 1024 up with --port."
    return "Check --host: 127.0.0.1 serves this computer only, 0.0.0.0 every network it is on."


def run_serve(args: argparse.Namespace, ctx: Any) -> int:
    import threading

    from bertdesk.ml.models import load_predictor
    from bertdesk.serve import PredictionServer

    project, _run_id, folder = _open_source(args)
    if project is not None:
        project.close()
    predictor = load_predictor(folder, device=args.device, precision=args.precision)
    try:
        server = PredictionServer(
            predictor, args.host, args.port, args.max_body_bytes, args.max_texts,
            args.max_batch, args.batch_wait_ms / 1000, args.max_queue,
        )
    except OSError as error:
        raise UserInputError(
            "Cannot listen on {host}:{port}: {reason}.", _listen_hint(error),
            host=args.host, port=args.port, reason=error.strerror or error,
        ) from error
    thread = threading.Thread(target=server.serve_forever, name="bertdesk-serve")
    thread.start()
    print(f"Serving {folder} on {server.url} (POST /predict, GET /health, GET /labels). "
          "Press Ctrl-C to stop.", flush=True)
    try:
        while not ctx.cancel.cancelled:
            time.sleep(0.2)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    print("Stopped.")
    return 0
