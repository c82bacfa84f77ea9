"""Why did the model say that: integrated gradients on the word embeddings.

Integrated gradients (Sundararajan et al., 2017) moves each word's embedding from a neutral
baseline (the padding token's embedding) to the real one and adds up how the label's
log-odds changed along the way. The scores of all tokens add up (nearly) to the label's
log-odds on the text minus those on the neutral text, so a score reads as "this word moved
the odds toward (or away from) the label by about this much". All interpolation steps run as one
batch through the model, so a sentence costs one forward and one backward pass over
``steps`` copies of it: a second or two on a laptop CPU.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, cast

from bertdesk.core import CancelToken, UserInputError
from bertdesk.core.scripts import CJK_CHARACTER
from bertdesk.ml.family import TRANSFORMER, Capability, TextClassifier, require_capability
from bertdesk.ml.predict import Predictor

METHOD = "integrated gradients"
STEP_BATCH = 16  # interpolation steps run together; a cancel is noticed between such batches


@dataclass
class TokenAttribution:
    """A word (Chinese: a character) as the user typed it, by its character span in the text."""

    start: int
    end: int
    text: str
    score: float  # > 0 pushed toward the label, < 0 away from it


@dataclass
class Explanation:
    label: str
    attributions: list[TokenAttribution]
    method: str
    probability: float = 0.0  # the label's probability on the (possibly cut) text
    # The scores add up (nearly) to log_odds - baseline_log_odds: the label's log-odds on the
    # text and on the neutral text the path starts from.
    log_odds: float = 0.0
    baseline_log_odds: float = 0.0
    truncated: bool = False  # only the first max_length tokens were explained
    # A family that explains by n-grams (fast) lists them here, strongest first.
    ngrams: list[tuple[str, float]] = field(default_factory=list)


def explain(
    classifier: TextClassifier,
    text: str,
    label: Optional[str] = None,
    steps: int = 16,
    cancel: Optional[CancelToken] = None,
) -> Explanation:
    """Score each word of ``text`` by how much it pushed the prediction toward ``label``.

    ``label`` defaults to the predicted one. Word pieces are merged back into the words the
    user typed (``un ##believ ##able`` → "unbelievable"); in Chinese, where a SentencePiece
    model (the multilingual one) sees a whole sentence as one "word", its pieces stay apart.
    A text longer than the model's window is explained on its first window.
    """
    import torch

    if getattr(classifier, "is_onnx", False):
        raise UserInputError(
            "Explanations need the PyTorch model, not an exported ONNX file.",
            "Open the run's model folder instead.",
        )
    require_capability(classifier, Capability.EXPLAIN)
    if classifier.family != TRANSFORMER:  # a family with its own way (fast: n-gram weights)
        explained: Explanation = classifier.explain(text, label)  # type: ignore[attr-defined]
        return explained
    predictor = cast(Predictor, classifier)
    if steps < 2:
        raise UserInputError("Integrated gradients needs at least 2 steps.", "Use e.g. 16.")
    if label is not None and label not in predictor.labels:
        raise UserInputError(
            "The model has no label {label!r}.",
            "Its labels: {labels}.",
            label=label,
            labels=", ".join(predictor.labels),
        )
    encoding = predictor.tokenize(
        text, truncation=True, max_length=predictor.max_length, return_offsets_mapping=True,
        return_overflowing_tokens=True,
    )
    ids = encoding["input_ids"][0]
    offsets = encoding["offset_mapping"][0]
    word_ids = encoding.word_ids(0)
    truncated = len(encoding["input_ids"]) > 1

    model = predictor.backend.model  # type: ignore[attr-defined]
    device = predictor.device
    input_ids = torch.tensor([ids], device=device)
    with torch.no_grad():
        embeddings = model.get_input_embeddings()(input_ids)
        baseline_ids = torch.where(
            torch.tensor([[w is None for w in word_ids]], device=device),
            input_ids,
            torch.full_like(input_ids, predictor.tokenizer.pad_token_id or 0),
        )
        baseline = model.get_input_embeddings()(baseline_ids)
        log_odds = _label_log_odds(predictor, model, torch.cat([embeddings, baseline]))
    target = predictor.labels.index(label) if label is not None else int(log_odds[0].argmax())

    alphas = (torch.arange(steps, device=device, dtype=embeddings.dtype) + 0.5) / steps
    total_gradient = torch.zeros_like(embeddings[0])
    for first in range(0, steps, STEP_BATCH):
        if cancel is not None:
            cancel.raise_if_cancelled()
        alpha = alphas[first : first + STEP_BATCH].view(-1, 1, 1)
        path = (baseline + alpha * (embeddings - baseline)).detach().requires_grad_(True)
        with torch.enable_grad():
            chosen = _label_log_odds(predictor, model, path)[:, target].sum()
            (gradient,) = torch.autograd.grad(chosen, path)
        total_gradient += gradient.sum(dim=0)
    token_scores = ((embeddings[0] - baseline[0]) * total_gradient / steps).sum(dim=-1)
    return Explanation(
        label=predictor.labels[target],
        attributions=_merge_into_words(text, token_scores.tolist(), offsets, word_ids),
        method=METHOD,
        probability=float(torch.sigmoid(log_odds[0, target])),
        log_odds=float(log_odds[0, target]),
        baseline_log_odds=float(log_odds[1, target]),
        truncated=truncated,
    )


def _label_log_odds(predictor: Predictor, model: Any, embeddings: Any) -> Any:
    """Each label's log-odds, log(p / (1 - p)), for a batch of embedded copies of one text.

    Log-odds rather than probabilities: a probability saturates near 0 and 1 and then jumps
    along the path, which a few integration steps miss; log-odds change smoothly.
    """
    import torch

    logits = model(inputs_embeds=embeddings, attention_mask=torch.ones(
        embeddings.shape[:2], dtype=torch.long, device=embeddings.device
    )).logits.float()
    if predictor.multi_label or logits.shape[-1] == 1:
        return logits
    others = logits.unsqueeze(1).expand(-1, logits.shape[-1], -1)
    own = torch.eye(logits.shape[-1], dtype=torch.bool, device=logits.device)
    return logits - torch.logsumexp(others.masked_fill(own, float("-inf")), dim=-1)


def _merge_into_words(
    text: str,
    scores: list[float],
    offsets: list[tuple[int, int]],
    word_ids: list[Optional[int]],
) -> list[TokenAttribution]:
    """Add up the scores of a word's pieces and give the word's span in the original text.

    A "word" in Chinese, Japanese or Korean script runs to the next space, which can be a whole
    sentence for a SentencePiece model: its pieces stay apart. Pieces over the same characters
    (SentencePiece's lone word-start mark before a character) are one unit.
    """
    spans: dict[int, tuple[int, int]] = {}
    for (start, end), word in zip(offsets, word_ids):
        if word is not None and end > start:
            first, last = spans.get(word, (start, end))
            spans[word] = (min(first, start), max(last, end))
    apart = {word for word, (start, end) in spans.items() if CJK_CHARACTER.search(text[start:end])}
    units: list[list[Any]] = []  # [start, end, score, word]
    for score, (start, end), word in zip(scores, offsets, word_ids):
        if word is None or end <= start:
            continue
        previous = units[-1] if units else None
        if previous is not None and (start < previous[1] or (word == previous[3] and word not in apart)):
            previous[0], previous[1] = min(previous[0], start), max(previous[1], end)
            previous[2] += score
        else:
            units.append([start, end, score, word])
    for unit in units:  # a SentencePiece piece's span starts at the space it stands for
        unit[0] += len(text[unit[0]:unit[1]]) - len(text[unit[0]:unit[1]].lstrip())
    return [TokenAttribution(start, end, text[start:end], float(score)) for start, end, score, _word in units]
