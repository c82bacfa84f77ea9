"""Pretraining on the project's own texts: adapt a model to them, or grow a small BERT from scratch.

Most projects hold far more texts than labels; a masked-language model trained on all of them
(labelled or not, the test split left out) learns their words and style before a classifier is
fine-tuned on the few labelled ones ("Don't Stop Pretraining", Gururangan et al., ACL 2020).

For a front end:

- ``pretrain(project, PretrainConfig(...), callback, cancel, progress, resume=None)`` runs one
  (a ``TrainingCallback``: ``on_message``, ``on_step`` with the loss, ``on_evaluate`` with the
  held-out ``loss``, ``perplexity`` and ``accuracy``); ``can_resume_pretraining`` says whether a
  stopped one carries on;
- ``pretrained_models(project)`` lists the results (``spec`` is what ``TrainConfig.model`` and
  ``bertdesk train --model`` take, ``description`` a translatable sentence, ``history`` the curve);
- ``FIELD_HELP`` says what each setting does.
"""

from bertdesk.ml.pretraining.job import PretrainResult, can_resume_pretraining, pretrain, text_pool
from bertdesk.ml.pretraining.records import (
    PretrainedModel, deletable_pretrained_models, delete_pretrained_models, pretrained_model, pretrained_models,
)
from bertdesk.ml.pretraining.settings import FIELD_HELP, SCRATCH, PretrainConfig

__all__ = [
    "FIELD_HELP",
    "SCRATCH",
    "PretrainConfig",
    "PretrainResult",
    "PretrainedModel",
    "can_resume_pretraining",
    "deletable_pretrained_models",
    "delete_pretrained_models",
    "pretrain",
    "pretrained_model",
    "pretrained_models",
    "text_pool",
]
