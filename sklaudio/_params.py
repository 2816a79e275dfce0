"""Parameter validation: declared constraints, checked in one place, one error type.

Modelled on scikit-learn's private ``sklearn.utils._param_validation`` (which
imbalanced-learn vendors; it is private in scikit-learn, so sklaudio does not
import it): every estimator declares ``_parameter_constraints``, a mapping from
each ``__init__`` parameter to a list of accepted constraints, composed from the
shared blocks below (:data:`STFT`, :data:`FRAMING`, :data:`MEL`,
:data:`POOLING`, ...); functions declare theirs with :func:`validate_params`.
A value that satisfies none of its constraints raises
:class:`InvalidParameterError` (a ``ValueError`` and a ``TypeError``, like
scikit-learn's) with one text::

    The 'n_fft' parameter of MFCC must be an int in the range [2, inf). Got 1 instead.

Checks that relate several parameters (``win_length <= n_fft``,
``n_mfcc <= n_mels``, ``fmax`` below Nyquist) use the scalar helpers
(:func:`check_int`, :func:`check_real`, :func:`check_bool`,
:func:`check_framing`) or :func:`raise_invalid`, which raise the same error with
the same text, naming the estimator or function being validated
(:func:`validating`).
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from ._kernels.stft import PAD_MODES  # constants; importing compiles nothing

__all__ = [
    "InvalidParameterError",
    "Interval",
    "StrOptions",
    "Options",
    "Satisfies",
    "HasMethods",
    "validate_parameter_constraints",
    "validate_params",
    "validating",
    "raise_invalid",
    "check_int",
    "check_real",
    "check_frequency_range",
    "check_bool",
    "check_framing",
    "check_stft",
    "check_window",
    "validate_estimator_params",
    "combine",
]


class InvalidParameterError(ValueError, TypeError):
    """A parameter has an invalid type or value.

    Subclasses both ``ValueError`` and ``TypeError`` (as scikit-learn's
    ``InvalidParameterError``), so ``except ValueError`` and ``except TypeError``
    both catch it.
    """


# -- the name being validated (for uniform messages) ----------------------------------------------
_LOCAL = threading.local()


@contextmanager
def validating(caller: str):
    """Name ``caller`` (an estimator class or function) in the errors raised inside the block.

    Nested blocks keep the outermost name: a composite that validates its
    sub-estimators reports its own name.
    """
    stack = getattr(_LOCAL, "stack", None)
    if stack is None:
        stack = _LOCAL.stack = []
    stack.append(caller)
    try:
        yield
    finally:
        stack.pop()


def _caller() -> str | None:
    stack = getattr(_LOCAL, "stack", None)
    return stack[0] if stack else None


def raise_invalid(name: str, must: str, value: Any, *, caller: str | None = None) -> None:
    """Raise :class:`InvalidParameterError`: ``The 'name' parameter of caller must be ...``."""
    caller = caller or _caller()
    of = f" of {caller}" if caller else ""
    raise InvalidParameterError(
        f"The {name!r} parameter{of} must be {must}. Got {value!r} instead.")


# -- constraints --------------------------------------------------------------------------------
class _Constraint:
    def is_satisfied_by(self, value) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def __str__(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


def _is_bool(value) -> bool:
    return isinstance(value, (bool, np.bool_))


class Interval(_Constraint):
    """A number of ``type`` (``numbers.Integral`` or ``numbers.Real``) in an interval.

    Booleans are never numbers here, and a real must be finite (NaN and
    infinities are refused: bad values must stay visible).

    Parameters
    ----------
    type : {numbers.Integral, numbers.Real}
    left, right : float or None
        Bounds; ``None`` is unbounded.
    closed : {"left", "right", "both", "neither"}
        Which bounds belong to the interval.
    unit : str, default=""
        Unit named in the message (e.g. ``"Hz"``, ``"samples"``).
    """

    def __init__(self, type, left, right, *, closed, unit=""):
        if type not in (numbers.Integral, numbers.Real):
            raise ValueError("Interval type must be numbers.Integral or numbers.Real")
        if closed not in ("left", "right", "both", "neither"):
            raise ValueError(f"closed must be 'left', 'right', 'both' or 'neither', not {closed!r}")
        self.type, self.left, self.right, self.closed, self.unit = type, left, right, closed, unit

    def is_satisfied_by(self, value) -> bool:
        if _is_bool(value) or not isinstance(value, self.type):
            return False
        if self.type is numbers.Real and not math.isfinite(value):
            return False
        lo_in = self.closed in ("left", "both")
        hi_in = self.closed in ("right", "both")
        if self.left is not None and (value < self.left or (value == self.left and not lo_in)):
            return False
        if self.right is not None and (value > self.right or (value == self.right and not hi_in)):
            return False
        return True

    def __str__(self) -> str:
        kind = "an int" if self.type is numbers.Integral else "a finite float"
        lo = "-inf" if self.left is None else self.left
        hi = "inf" if self.right is None else self.right
        lb = "[" if self.closed in ("left", "both") and self.left is not None else "("
        rb = "]" if self.closed in ("right", "both") and self.right is not None else ")"
        unit = f" ({self.unit})" if self.unit else ""
        return f"{kind} in the range {lb}{lo}, {hi}{rb}{unit}"


class StrOptions(_Constraint):
    """One of a set of strings."""

    def __init__(self, options: Iterable[str]):
        self.options = tuple(sorted(options))

    def is_satisfied_by(self, value) -> bool:
        return isinstance(value, str) and value in self.options

    def __str__(self) -> str:
        return f"a str among {{{', '.join(repr(o) for o in self.options)}}}"


class Options(_Constraint):
    """One of a set of values of ``type`` (e.g. ``Options(numbers.Integral, {1, 2, 3})``)."""

    def __init__(self, type, options: Iterable):
        self.type, self.options = type, tuple(sorted(options))

    def is_satisfied_by(self, value) -> bool:
        return (not _is_bool(value) and isinstance(value, self.type)
                and value in self.options)

    def __str__(self) -> str:
        return f"one of {{{', '.join(repr(o) for o in self.options)}}}"


class _Boolean(_Constraint):
    def is_satisfied_by(self, value) -> bool:
        return _is_bool(value)

    def __str__(self) -> str:
        return "a bool"


class _NoneConstraint(_Constraint):
    def is_satisfied_by(self, value) -> bool:
        return value is None

    def __str__(self) -> str:
        return "None"


class _Callables(_Constraint):
    def is_satisfied_by(self, value) -> bool:
        return callable(value)

    def __str__(self) -> str:
        return "a callable"


class _ArrayLikes(_Constraint):
    def is_satisfied_by(self, value) -> bool:
        return (not isinstance(value, (str, bytes)) and not np.isscalar(value)
                and (hasattr(value, "__array__") or hasattr(value, "__len__")))

    def __str__(self) -> str:
        return "an array-like"


class _InstancesOf(_Constraint):
    def __init__(self, type):
        self.type = type

    def is_satisfied_by(self, value) -> bool:
        return isinstance(value, self.type)

    def __str__(self) -> str:
        return f"an instance of {self.type.__name__!r}"


class HasMethods(_Constraint):
    """An object with all of the named methods (e.g. an estimator: ``fit`` and ``predict``)."""

    def __init__(self, methods: Iterable[str]):
        self.methods = tuple(methods)

    def is_satisfied_by(self, value) -> bool:
        return not isinstance(value, type) and all(
            callable(getattr(value, m, None)) for m in self.methods)

    def __str__(self) -> str:
        names = ", ".join(repr(m) for m in self.methods)
        return f"an object implementing {names}"


class Satisfies(_Constraint):
    """A value accepted by ``check`` (which raises ``ValueError``/``TypeError`` otherwise)."""

    def __init__(self, check: Callable[[Any], Any], description: str):
        self.check, self.description = check, description

    def is_satisfied_by(self, value) -> bool:
        try:
            self.check(value)
        except (ValueError, TypeError):
            return False
        return True

    def __str__(self) -> str:
        return self.description


def make_constraint(constraint) -> _Constraint:
    """Turn a constraint declaration into a constraint object.

    Accepted: a constraint object, ``None``, ``"boolean"``, ``"array-like"``,
    ``callable`` (the builtin) or a type.
    """
    if isinstance(constraint, _Constraint):
        return constraint
    if constraint is None:
        return _NoneConstraint()
    if constraint == "boolean":
        return _Boolean()
    if constraint == "array-like":
        return _ArrayLikes()
    if constraint is callable:
        return _Callables()
    if isinstance(constraint, type):
        return _InstancesOf(constraint)
    raise ValueError(f"Unknown constraint {constraint!r}")  # pragma: no cover - programming error


def _describe(constraints) -> str:
    parts = [str(c) for c in constraints]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def validate_parameter_constraints(constraints: Mapping[str, list], params: Mapping[str, Any],
                                   caller_name: str | None = None) -> None:
    """Check each of ``params`` against its declared constraints.

    Parameters
    ----------
    constraints : mapping of str to list
        Parameter name to its accepted constraints (any of them suffices).
        A parameter absent from ``constraints`` is not checked.
    params : mapping of str to object
        The values.
    caller_name : str or None
        The estimator or function named in the message; ``None``: the one
        being validated (:func:`validating`), if any.

    Raises
    ------
    InvalidParameterError
        ``The 'name' parameter of caller_name must be <constraints>. Got <value> instead.``
    """
    for name, value in params.items():
        if name not in constraints:
            continue
        cons = [make_constraint(c) for c in constraints[name]]
        if not any(c.is_satisfied_by(value) for c in cons):
            raise_invalid(name, _describe(cons), value, caller=caller_name)


def validate_params(constraints: Mapping[str, list]):
    """Decorator: validate a function's arguments against ``constraints`` before it runs.

    The checks of relations between arguments inside the function raise under
    the function's name too (:func:`validating`).
    """

    def decorator(func):
        sig = inspect.signature(func)
        unknown = set(constraints) - set(sig.parameters)
        if unknown:  # pragma: no cover - programming error
            raise ValueError(f"constraints for unknown parameters {unknown} of {func.__name__}")
        name = func.__name__

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            bound = sig.bind(*args, **kwargs)
            with validating(name):
                validate_parameter_constraints(constraints, bound.arguments, name)
                return func(*args, **kwargs)

        wrapper._parameter_constraints = dict(constraints)
        return wrapper

    return decorator


def combine(*blocks: Mapping[str, list], **extra: list) -> dict[str, list]:
    """Merge constraint blocks (later ones win) into one declaration."""
    out: dict[str, list] = {}
    for block in blocks:
        out.update(block)
    out.update(extra)
    return out


# -- scalar helpers (relations, and checks inside functions) -------------------------------------
def check_int(name: str, value, low: int | None = 1, high: int | None = None, *,
              hint: str = "") -> int:
    """Return ``int(value)`` if ``value`` is an integer in ``[low, high]``, else raise."""
    c = Interval(numbers.Integral, low, high, closed="both")
    if not c.is_satisfied_by(value):
        raise_invalid(name, f"{c}{hint}", value)
    return int(value)


def check_real(name: str, value, low: float | None = None, high: float | None = None, *,
               low_open: bool = False, high_open: bool = False, allow_none: bool = False,
               unit: str = "", hint: str = "") -> float | None:
    """Return ``float(value)`` if it is a finite real in the interval, else raise.

    ``low_open``/``high_open`` exclude the bound; ``allow_none`` accepts ``None``.
    """
    if value is None and allow_none:
        return None
    closed = {(False, False): "both", (True, False): "right", (False, True): "left",
              (True, True): "neither"}[(bool(low_open), bool(high_open))]
    c = Interval(numbers.Real, low, high, closed=closed, unit=unit)
    if not c.is_satisfied_by(value):
        raise_invalid(name, f"{c}{' or None' if allow_none else ''}{hint}", value)
    return float(value)


def check_frequency_range(sample_rate, fmin, fmax, *, fmin_name: str = "fmin",
                          fmax_name: str = "fmax") -> tuple[float, float, float]:
    """Validate a band ``0 <= fmin < fmax <= sample_rate / 2`` (Hz); ``fmax=None`` is Nyquist.

    Returns ``(sample_rate, fmin, fmax)`` as floats (``fmax`` clipped to
    Nyquist within a relative 1e-9, so a float rounding of ``sr / 2`` passes).
    """
    sample_rate = check_real("sample_rate", sample_rate, low=0, low_open=True, unit="Hz")
    nyquist = sample_rate / 2.0
    fmin = check_real(fmin_name, fmin, low=0, unit="Hz")
    if fmax is None:
        fmax = nyquist
    fmax = check_real(fmax_name, fmax, low=0, unit="Hz")
    if fmax > nyquist * (1 + 1e-9):
        raise_invalid(fmax_name, f"at most the Nyquist frequency sample_rate / 2 = {nyquist} Hz "
                      f"(lower {fmax_name} or leave it None)", fmax)
    if not fmin < fmax:
        raise_invalid(fmin_name, f"below {fmax_name} = {fmax} Hz ({fmin_name} < {fmax_name})", fmin)
    return sample_rate, fmin, min(fmax, nyquist)


def check_bool(name: str, value) -> bool:
    """Return ``bool(value)`` if ``value`` is a bool (or ``numpy.bool_``), else raise."""
    if not _is_bool(value):
        raise_invalid(name, "a bool", value)
    return bool(value)


def check_stft(n_fft, hop_length, win_length, center, pad_mode, *,
               n_fft_name: str = "n_fft") -> tuple[int, int, int]:
    """Validate and resolve STFT framing (librosa defaults); return ``(n_fft, hop, win)``.

    ``win_length=None`` is ``n_fft``; ``hop_length=None`` is ``win_length // 4``.
    """
    n_fft = check_int(n_fft_name, n_fft, 2, hint=" (samples)")
    if win_length is None:
        win_length = n_fft
    win_length = check_int("win_length", win_length, 1, n_fft, hint=f" (at most {n_fft_name})")
    if hop_length is None:
        hop_length = win_length // 4
    hop_length = check_int("hop_length", hop_length, 1, hint=" (samples)")
    check_bool("center", center)
    if not PAD_MODE.is_satisfied_by(pad_mode):
        raise_invalid("pad_mode", str(PAD_MODE), pad_mode)
    return n_fft, hop_length, win_length


def check_framing(frame_length, hop_length, center, pad_mode, *,
                  hop_none: bool = True) -> tuple[int, int]:
    """Validate time-domain framing (``frame_length`` samples); return ``(frame_length, hop)``.

    ``hop_length=None`` resolves to ``frame_length // 4`` where ``hop_none``
    (librosa's ``yin``), and is refused otherwise.
    """
    if hop_length is None and not hop_none:
        raise_invalid("hop_length", str(STFT["hop_length"][0]), hop_length)
    n, hop, _ = check_stft(frame_length, hop_length, None, center, pad_mode,
                           n_fft_name="frame_length")
    return n, hop


# -- shared declaration blocks ------------------------------------------------------------------
def _check_pooling(value):
    from .functional._pooling import check_pooling
    check_pooling(value)


def _check_dtype(value):
    from ._validation import resolve_dtype
    resolve_dtype(value)


def _check_n_jobs(value):
    if _is_bool(value) or not isinstance(value, numbers.Integral) or value == 0:
        raise ValueError


POSITIVE_INT = Interval(numbers.Integral, 1, None, closed="left")
NONNEGATIVE_INT = Interval(numbers.Integral, 0, None, closed="left")
POSITIVE_REAL = Interval(numbers.Real, 0, None, closed="neither")
NONNEGATIVE_REAL = Interval(numbers.Real, 0, None, closed="left")
UNIT_INTERVAL = Interval(numbers.Real, 0, 1, closed="both")
WINDOW = [str, tuple, callable, "array-like"]
PAD_MODE = StrOptions(PAD_MODES)

#: ``sample_rate`` (Hz) of the estimators whose computation uses it.
SAMPLE_RATE = {"sample_rate": [Interval(numbers.Real, 0, None, closed="neither", unit="Hz")]}

#: STFT framing (librosa's names); ``win_length <= n_fft`` is checked by :func:`check_stft`.
STFT = {
    "n_fft": [Interval(numbers.Integral, 2, None, closed="left", unit="samples")],
    "hop_length": [Interval(numbers.Integral, 1, None, closed="left", unit="samples")],
    "win_length": [Interval(numbers.Integral, 1, None, closed="left", unit="samples"), None],
    "window": WINDOW,
    "center": ["boolean"],
    "pad_mode": [PAD_MODE],
}

#: Time-domain framing by ``frame_length`` (rectangular frames unless a ``window`` is declared).
FRAMING = {
    "frame_length": [Interval(numbers.Integral, 2, None, closed="left", unit="samples")],
    "hop_length": STFT["hop_length"],
    "center": ["boolean"],
    "pad_mode": STFT["pad_mode"],
}

#: Mel filterbank (librosa ``filters.mel``); ``fmin < fmax <= sample_rate / 2`` is a relation.
MEL = {
    "n_mels": [POSITIVE_INT],
    "fmin": [Interval(numbers.Real, 0, None, closed="left", unit="Hz")],
    "fmax": [Interval(numbers.Real, 0, None, closed="neither", unit="Hz"), None],
    "htk": ["boolean"],
}

#: dB scale of a spectrogram (``power_to_db``'s ``ref``/``top_db``).
DB = {
    "ref": [POSITIVE_REAL, StrOptions({"max"})],
    "top_db": [NONNEGATIVE_REAL, None],
}

#: Cepstral coefficients from a log spectrum.
CEPSTRUM = {
    "dct_type": [Options(numbers.Integral, {1, 2, 3})],
    "lifter": [NONNEGATIVE_REAL],
}

#: The parameters every frame-feature estimator ends with.
POOLING = {
    "pooling": [Satisfies(_check_pooling, "a statistic name or a non-empty sequence of them "
                           "('mean', 'std', 'min', 'max', 'median', 'skew', 'kurtosis', "
                           "'slope', 'p<q>', 'trajectory')")],
    "trajectory_length": [POSITIVE_INT],
    "dtype": [Satisfies(_check_dtype, "'float32' or 'float64'")],
    "n_jobs": [Satisfies(_check_n_jobs, "a non-zero int (-1 for all cores)"), None],
}


def check_window(window, win_length: int, n_fft: int) -> np.ndarray:
    """The analysis window (:func:`sklaudio.filters.get_window`), or an error naming ``window``."""
    from . import filters
    try:
        return filters.get_window(window, win_length, n_fft)
    except (ValueError, TypeError) as exc:
        raise_invalid("window", f"a scipy.signal.get_window spec or an array of length "
                      f"win_length={win_length} ({exc})", window)


def validate_estimator_params(est) -> None:
    """Check an estimator's ``get_params(deep=False)`` against its ``_parameter_constraints``."""
    name = type(est).__name__
    validate_parameter_constraints(est._parameter_constraints, est.get_params(deep=False), name)
