"""numpydoc validation of the public API, as scikit-learn and librosa run it.

Every public class, method and function of ``sklaudio``, ``sklaudio.functional``,
``sklaudio.filters``, ``sklaudio.io``, ``sklaudio.datasets``, ``sklaudio.events`` and
``sklaudio.augment`` and ``sklaudio.display`` passes
:func:`numpydoc.validate.validate` except for the checks below, which
scikit-learn also leaves out or which this project words differently:

- ES01 (extended summary), SA01/SA04 (See Also section and descriptions),
  EX01 (Examples: required below for the main functions and every estimator);
- RT02: single return values are named (``self : MFCC``), as scikit-learn writes
  ``self : object``.

The documented defaults are also checked against the signatures, and the
parameters of every docstring composed by :func:`sklaudio._docstrings.fill_params`
are in signature order.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import sklaudio
import sklaudio.augment
import sklaudio.datasets
import sklaudio.display
import sklaudio.events
import sklaudio.filters
import sklaudio.functional
import sklaudio.io
from sklaudio._docstrings import SNIPPETS, _entries, _split_sections, fill_params

numpydoc_validate = pytest.importorskip("numpydoc.validate")

IGNORED = {"ES01", "SA01", "SA04", "EX01", "RT02"}
MODULES = (sklaudio, sklaudio.functional, sklaudio.filters, sklaudio.io, sklaudio.datasets,
           sklaudio.events, sklaudio.augment, sklaudio.display)


def _public_objects():
    seen = set()
    for mod in MODULES:
        for name in mod.__all__:
            obj = getattr(mod, name)
            if not callable(obj):
                continue
            qual = f"{mod.__name__}.{name}"
            key = (id(obj), qual)
            if key in seen:
                continue
            seen.add(key)
            yield qual, obj
            if isinstance(obj, type):
                for meth, value in vars(obj).items():
                    if not meth.startswith("_") and callable(value):
                        yield f"{qual}.{meth}", getattr(obj, meth)


PUBLIC = list(_public_objects())


@pytest.mark.parametrize("qualname", [q for q, _ in PUBLIC])
def test_numpydoc_validation(qualname):
    errors = [f"{code}: {msg}" for code, msg in numpydoc_validate.validate(qualname)["errors"]
              if code not in IGNORED]
    assert not errors, f"{qualname}:\n" + "\n".join(errors)


MAIN_FUNCTIONS = [
    "stft", "istft", "spectrogram", "melspectrogram", "mfcc", "power_to_db", "delta",
    "spectral_centroid",
]
FILTER_BUILDERS = ["mel", "bark", "linear", "gammatone", "chroma", "dct", "get_window"]


@pytest.mark.parametrize("name", MAIN_FUNCTIONS)
def test_main_functions_have_examples_and_references(name):
    doc = getattr(sklaudio.functional, name).__doc__
    assert "\nExamples\n" in inspect.cleandoc(doc), name
    assert "\nReferences\n" in inspect.cleandoc(doc), name


@pytest.mark.parametrize("name", FILTER_BUILDERS)
def test_filter_builders_have_examples(name):
    assert "\nExamples\n" in inspect.cleandoc(getattr(sklaudio.filters, name).__doc__), name


@pytest.mark.parametrize("name", [n for n in sklaudio.__all__
                                  if isinstance(getattr(sklaudio, n), type)])
def test_estimators_have_examples(name):
    assert "\nExamples\n" in inspect.cleandoc(getattr(sklaudio, name).__doc__), name


def _documented_defaults():
    for qual, obj in PUBLIC:
        if qual.count(".") > 2 or not obj.__doc__:
            continue
        target = obj.__init__ if isinstance(obj, type) else obj
        try:
            sig = inspect.signature(target)
        except (TypeError, ValueError):
            continue
        lines = inspect.cleandoc(obj.__doc__).splitlines()
        span = _split_sections(lines)
        if span is None:
            continue
        for name, entry in _entries(lines[span[0]:span[1]]).items():
            head = entry[0]
            if ", default=" in head and "," not in head.split(" : ")[0] and name in sig.parameters:
                yield qual, name, head.split(", default=", 1)[1].strip(), sig.parameters[name].default


@pytest.mark.parametrize("qual,name,documented,actual",
                         list(_documented_defaults()), ids=lambda v: str(v)[:40])
def test_documented_default_is_the_signature_default(qual, name, documented, actual):
    namespace = {"np": np, "inf": np.inf, "None": None}
    try:
        value = eval(documented, namespace)  # noqa: S307 - our own docstrings
    except Exception:  # prose defaults ("n_fft // 4") are not checked
        pytest.skip(f"default {documented!r} is prose")
    if isinstance(actual, float) and isinstance(value, float):
        assert value == pytest.approx(actual, rel=1e-12, abs=0), (qual, name)
    else:
        assert value == actual, f"{qual}: {name} documented default={documented}, code {actual!r}"


def test_fill_params_orders_by_signature_and_fills_defaults():
    @fill_params()
    def f(y, *, hop_length=256, n_fft=1024, n_jobs=None):
        """Do something.

        Parameters
        ----------
        n_jobs : int
            Local text wins.
        y : ndarray
            Audio.

        Returns
        -------
        int
            Nothing.
        """

    doc = f.__doc__
    order = [doc.index(f"\n{p} :") for p in ("y", "hop_length", "n_fft", "n_jobs")]
    assert order == sorted(order)
    assert "hop_length : int, default=256\n" in doc
    assert "n_fft : int, default=1024\n" in doc
    assert "Local text wins." in doc and SNIPPETS["n_jobs"][1].split()[0] not in doc.split("n_jobs :")[1]


def test_fill_params_rejects_unknown_and_undocumented_parameters():
    with pytest.raises(ValueError, match="not parameters"):
        @fill_params()
        def g(y):
            """Do.

            Parameters
            ----------
            z : int
                Not a parameter.
            """

    with pytest.raises(ValueError, match="no docstring entry and no shared snippet"):
        @fill_params()
        def h(y, some_new_parameter=1):
            """Do.

            Parameters
            ----------
            y : ndarray
                Audio.
            """


def test_references_from_copies_the_twins_section_before_examples():
    import sklaudio.functional as F

    doc = inspect.cleandoc(sklaudio.SpectralCentroid.__doc__)
    twin = inspect.cleandoc(F.spectral_centroid.__doc__)
    refs = twin.split("References\n----------\n", 1)[1].split("\n\nExamples", 1)[0].strip()
    assert refs and refs in doc
    assert doc.index("References\n") < doc.index("Examples\n")
    with pytest.raises(ValueError, match="has its own References"):
        @fill_params(references_from=F.spectral_centroid)
        def f(y):
            """Do.

            Parameters
            ----------
            y : ndarray
                Audio.

            References
            ----------
            .. [1] Someone.
            """
