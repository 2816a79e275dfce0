"""Deprecation cycles of renamed parameters and of positional arguments.

A renamed estimator parameter keeps its old name for two releases with the
default ``"deprecated"`` (scikit-learn's convention): setting it still works,
with a ``FutureWarning`` that names the new parameter; the old name is
removed afterwards. Every rename is listed in ``docs/changelog.md``.
"""

from __future__ import annotations

import functools
import inspect
import warnings

__all__ = ["DEPRECATED", "resolve_renamed", "deprecate_positional_args"]

#: Default of a renamed parameter's old name.
DEPRECATED = "deprecated"

#: Release that renamed the parameters, and the one that removes the old names.
RENAMED_IN, REMOVED_IN = "0.1", "0.3"


def resolve_renamed(owner: str, old: str, new: str, old_value, new_value, *, stacklevel=3):
    """The value to use for ``new``: ``old_value`` (with a ``FutureWarning``) if it was set."""
    if isinstance(old_value, str) and old_value == DEPRECATED:
        return new_value
    warnings.warn(
        f"{owner}: the parameter {old!r} was renamed {new!r} in sklaudio {RENAMED_IN} and will "
        f"be removed in {REMOVED_IN}; use {new}={old_value!r}.",
        FutureWarning, stacklevel=stacklevel,
    )
    return old_value


def deprecate_positional_args(init):
    """Let a keyword-only ``__init__`` still take positional arguments, with a ``FutureWarning``."""
    sig = inspect.signature(init)
    names = [p.name for p in sig.parameters.values() if p.kind == p.KEYWORD_ONLY]

    @functools.wraps(init)
    def wrapper(self, *args, **kwargs):
        if args:
            given = names[:len(args)]
            warnings.warn(
                f"Pass {', '.join(f'{n}={a!r}' for n, a in zip(given, args))} as keyword "
                f"argument(s) to {type(self).__name__}: positional arguments are deprecated in "
                f"sklaudio {RENAMED_IN} and will be an error in {REMOVED_IN}.",
                FutureWarning, stacklevel=2,
            )
            if len(args) > len(names):
                raise TypeError(f"{type(self).__name__} takes at most {len(names)} arguments")
            kwargs.update(zip(given, args))
        return init(self, **kwargs)

    return wrapper
