"""Helpers shared by the meta-estimators (WindowedClassifier, augment.AugmentedClassifier)."""

from __future__ import annotations

import numpy as np
import scipy.sparse
from sklearn import get_config
from sklearn.utils import _safe_indexing
from sklearn.utils.metadata_routing import process_routing
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from ._validation import ClipBatch, check_clips

__all__ = ["clips_dtype", "check_clip_batch", "check_clip_targets", "expand_per_clip",
           "fit_params_for_estimator"]


def clips_dtype(X) -> np.dtype:
    """float32 when every clip of ``X`` is float32 already, else float64 (no precision lost)."""
    if isinstance(X, np.ndarray) and X.dtype != object:
        return np.dtype(np.float32) if X.dtype == np.float32 else np.dtype(np.float64)
    if isinstance(X, (list, tuple)) and X and all(
            isinstance(c, np.ndarray) and c.dtype == np.float32 for c in X):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def check_clip_batch(X, owner: str) -> ClipBatch:
    """``X`` as a validated :class:`ClipBatch` in its own float precision."""
    if scipy.sparse.issparse(X):
        raise TypeError(f"{owner} does not accept sparse input: audio clips are dense. "
                        "Convert with X.toarray().")
    return check_clips(X, dtype=clips_dtype(X))


def check_clip_targets(y, n_clips: int, owner: str) -> np.ndarray:
    """One classification target per clip, as a 1-D array."""
    if y is None:
        raise ValueError(f"{owner} requires y to be passed, but the target y is None.")
    y = column_or_1d(y, warn=True)
    check_classification_targets(y)
    if len(y) != n_clips:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: "
                         f"{n_clips} clips and {len(y)} targets.")
    return y


def expand_per_clip(params: dict, index: np.ndarray, n_clips: int) -> dict:
    """Index every per-clip value of ``params`` (length ``n_clips``) by ``index``; keep others.

    ``index[j]`` is the clip that row ``j`` of the derived training set comes
    from (its window, its augmented copy), so ``sample_weight`` or ``groups``
    given per clip follow their clip's rows.
    """
    out = {}
    for key, value in params.items():
        if (value is not None and not isinstance(value, (str, bytes, dict))
                and hasattr(value, "__len__") and not np.isscalar(value)
                and len(value) == n_clips):
            out[key] = _safe_indexing(value, index)
        else:
            out[key] = value
    return out


def fit_params_for_estimator(meta, fit_params: dict) -> dict:
    """The fit parameters meant for ``meta.estimator``.

    With scikit-learn's metadata routing enabled they are routed (the inner
    estimator must request them, e.g. ``set_fit_request(sample_weight=True)``);
    without it they are all passed on.
    """
    if get_config().get("enable_metadata_routing", False):
        return dict(process_routing(meta, "fit", **fit_params).estimator.fit)
    return dict(fit_params)
