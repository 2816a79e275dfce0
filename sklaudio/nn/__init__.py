"""Neural-net classifiers for scikit-learn Pipelines (torch + skorch).

This package needs the optional ``[torch]`` extra (PyTorch, CPU build, and
skorch >= 1.3.1)::

    pip install "sklaudio[torch]"

``import sklaudio`` never imports it (nor torch): only ``import sklaudio.nn``
does, and it raises an :class:`ImportError` that names the extra when torch
or skorch is missing.

=========================  ==========================================================
:class:`MLPClassifier`     a multi-layer perceptron on 2-D features (MFCC statistics,
                           pooled descriptors, embeddings)
:class:`CNNClassifier`     a small convolutional net on log-mel patches
                           ``(n, 1, n_mels, n_frames)`` (:class:`sklaudio.LogMelPatches`)
:class:`MLPModule`         the MLP's torch module
:class:`CNNModule`         the CNN's torch module
:class:`MixupCollate`      the training-batch mixup of both classifiers
=========================  ==========================================================

Both classifiers are skorch ``NeuralNetClassifier`` subclasses, so every
skorch parameter works (``lr``, ``max_epochs``, ``batch_size``,
``optimizer__weight_decay``, ``module__...``, ``callbacks``) and
``get_params``/``set_params``/``clone``/``GridSearchCV`` treat them as any
scikit-learn classifier. On top of skorch they cast ``X`` to float32, encode
any labels (``classes_`` holds the original ones), stop early on an internal
stratified validation split, seed torch and the split from
``random_state`` and mix training batches (``mixup_alpha``).
"""

from __future__ import annotations

_EXTRA = 'sklaudio.nn needs PyTorch and skorch>=1.3.1: pip install "sklaudio[torch]"'

try:
    import skorch  # noqa: F401
    import torch  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(f"{_EXTRA} ({exc})") from exc

from ._modules import CNNModule, MLPModule
from ._net import CNNClassifier, MixupCollate, MLPClassifier

__all__ = ["CNNClassifier", "CNNModule", "MLPClassifier", "MLPModule", "MixupCollate"]
