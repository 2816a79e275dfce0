"""The layers of ARCHITECTURE.md, enforced on the source: data flows down, never back up."""

from __future__ import annotations

import ast
import pathlib

import pytest

PKG = pathlib.Path(__file__).resolve().parents[1] / "sklaudio"
#: modules that are neither estimators nor layers of their own (``_streaming`` is the
#: engine's block-by-block form: part of the engine layer, as ``_engine``)
UTILITIES = {"_params", "_deprecation", "_docstrings", "_validation", "_version", "_engine",
             "_streaming", "__init__"}


def _imports(path: pathlib.Path):
    """(absolute module, imported names) of every import in ``path``, relative ones resolved."""
    rel = path.relative_to(PKG.parent).with_suffix("")
    package = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            yield mod, [a.name for a in node.names]


def _modules(pattern):
    return sorted(p for p in PKG.glob(pattern) if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", _modules("_kernels/*.py"), ids=lambda p: p.name)
def test_kernels_import_only_kernels_numpy_and_numba(path):
    for mod, _ in _imports(path):
        top = mod.split(".")[0]
        assert top in {"numpy", "numba", "llvmlite", "__future__", "warnings", "math"} \
            or mod.startswith("sklaudio._kernels"), f"{path.name} imports {mod}"


@pytest.mark.parametrize("path", _modules("filters/*.py"), ids=lambda p: p.name)
def test_filters_import_no_higher_layer(path):
    for mod, _ in _imports(path):
        if mod.startswith("sklaudio"):
            assert mod.startswith(("sklaudio.filters", "sklaudio._params", "sklaudio._docstrings")), \
                f"{path.name} imports {mod}"
        if path.name != "__init__.py" and mod == "sklaudio.filters":
            pytest.fail(f"{path.name} imports the package __init__ (an import circle)")


@pytest.mark.parametrize("path", _modules("functional/*.py"), ids=lambda p: p.name)
def test_functional_never_imports_estimators(path):
    for mod, _ in _imports(path):
        if mod.startswith("sklaudio.") and not mod.startswith(
                ("sklaudio.functional", "sklaudio._kernels", "sklaudio.filters")):
            assert mod.split(".")[1] in UTILITIES, f"{path.name} imports {mod}"


ESTIMATOR_MODULES = [p for p in _modules("_*.py") if p.stem not in UTILITIES]


@pytest.mark.parametrize("path", ESTIMATOR_MODULES, ids=lambda p: p.name)
def test_estimators_use_no_kernels_and_no_private_functional_helpers(path):
    for mod, names in _imports(path):
        assert not mod.startswith("sklaudio._kernels"), f"{path.name} imports {mod}"
        if mod.startswith("sklaudio.functional"):
            private = [n for n in names if n.startswith("_")]
            assert not private, f"{path.name} imports private {private} from {mod}"


@pytest.mark.parametrize("path", _modules("events/*.py"), ids=lambda p: p.name)
def test_events_use_only_public_functions_and_import_pandas_lazily(path):
    """sklaudio.events sits above the features: it uses the public functional API and the
    parameter validation, never kernels or estimators; pandas (an optional extra) is
    imported inside the functions that need it, never at module level."""
    for mod, names in _imports(path):
        if mod.startswith("sklaudio.") and not mod.startswith("sklaudio.events"):
            assert mod in {"sklaudio.functional", "sklaudio._params"}, f"{path.name} imports {mod}"
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            assert not any((m or "").split(".")[0] == "pandas" for m in mods), \
                f"{path.name} imports pandas at module level"


OPTIONAL_TOP_LEVEL = {"matplotlib", "distributed", "dask", "pyarrow", "pandas"}


@pytest.mark.parametrize("name", ["display.py", "cli.py", "io.py", "_dask.py"])
def test_optional_dependencies_are_imported_inside_functions(name):
    """matplotlib (sklaudio[display]), dask.distributed (sklaudio[dask]) and pyarrow
    (sklaudio[parquet]) are optional: never imported at module level, so ``import sklaudio``
    works without them and the functions raise an error naming the extra."""
    for node in ast.parse((PKG / name).read_text()).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            assert not any((m or "").split(".")[0] in OPTIONAL_TOP_LEVEL for m in mods), \
                f"{name} imports {mods} at module level"


@pytest.mark.parametrize("name", ["cli.py", "display.py"])
def test_cli_and_display_use_the_public_api_only(name):
    """ARCHITECTURE: the command line and the plots call the public API only."""
    for mod, names in _imports(PKG / name):
        if mod.startswith("sklaudio"):
            parts = mod.split(".")
            if mod == "sklaudio._docstrings":   # composes docstrings, not an API call
                continue
            assert not any(p.startswith("_") for p in parts[1:]), f"{name} imports {mod}"
            assert not any(n.startswith("_") for n in names), f"{name} imports {names} from {mod}"


@pytest.mark.parametrize("path", [p for p in _modules("**/*.py") if "nn" not in
                                  p.relative_to(PKG).parts[:-1]], ids=lambda p: str(p.relative_to(PKG)))
def test_only_sklaudio_nn_imports_torch(path):
    """torch and skorch (the optional ``[torch]`` extra) are imported by ``sklaudio.nn`` only,
    so ``import sklaudio`` never needs them; nothing outside it imports ``sklaudio.nn``."""
    for mod, _ in _imports(path):
        assert mod.split(".")[0] not in {"torch", "skorch", "keras"}, f"{path.name} imports {mod}"
        assert not mod.startswith("sklaudio.nn"), f"{path.name} imports {mod}"
