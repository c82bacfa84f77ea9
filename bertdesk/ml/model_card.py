"""The short README.md written beside every trained model: labels, data, metrics, settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bertdesk.ml.metrics import shown_scores


def write_model_card(folder: Path, params: dict[str, Any], metrics: dict[str, Any]) -> None:
    config = params.get("config", {})
    lines = [
        "---",
        "library_name: transformers",
        "pipeline_tag: text-classification",
        "tags: [bertdesk]",
        "---",
        "",
        "# Text classifier trained with bertdesk",
        "",
        f"Base model: `{config.get('model', '?')}` · labels: "
        + ", ".join(f"`{name}`" for name in params.get("labels", [])),
        "",
        "## Data",
        "",
        f"- training texts: {params.get('train_size', '?')}",
        f"- validation texts: {params.get('validation_size', '?')}",
        f"- test texts: {params.get('test_size', '?')}",
        "",
        "## Validation metrics (best evaluation)",
        "",
    ]
    for key in ("accuracy", "macro_f1", "micro_f1", "weighted_f1", "loss"):
        if key in metrics:
            lines.append(f"- {key}: {metrics[key]:.4f}")
    if metrics.get("per_class"):
        lines += ["", "| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
        lines += [f"| {row['label']} | {' | '.join(shown_scores(row, '.3f'))} | {row['support']} |"
                  for row in metrics["per_class"]]
    calibration = params.get("calibration")
    if calibration:
        lines += ["", f"The output layer is divided by a temperature of {calibration['temperature']} fitted "
                  "on the validation texts, so that the probabilities match how often the model is "
                  f"right (validation loss {calibration['validation_loss_before']:.4f} before, "
                  f"{metrics.get('loss', float('nan')):.4f} after); predictions are unchanged."]
    lines += ["", "## Training settings", ""]
    lines += [f"- {key}: {value}" for key, value in sorted(config.items())]
    lines += [
        "",
        "## Use",
        "",
        "```python",
        "from transformers import pipeline",
        'classifier = pipeline("text-classification", model="path/to/this/folder")',
        "```",
        "",
    ]
    (folder / "README.md").write_text("\n".join(lines), encoding="utf-8")
