"""Sphinx configuration of the sklaudio documentation site.

Build (about a minute or two; the gallery runs its scripts on FSDD)::

    pip install ".[docs]"
    SKLAUDIO_DATA=../shared/datasets sphinx-build -W -b html docs docs/_build/html

Without ``SKLAUDIO_DATA`` the gallery uses ``../shared/datasets`` beside the repository when
it holds FSDD, else ``fetch_fsdd`` downloads it (about 10 MB) on first use.
"""

import os
import pathlib

import matplotlib

matplotlib.use("Agg")

import sklaudio  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
_shared = ROOT.parent / "shared" / "datasets"
if "SKLAUDIO_DATA" in os.environ:
    # the gallery runs each script in its own folder: a relative path would move
    os.environ["SKLAUDIO_DATA"] = os.path.abspath(os.environ["SKLAUDIO_DATA"])
elif (_shared / "fsdd" / "recordings").is_dir():
    os.environ["SKLAUDIO_DATA"] = str(_shared)

project = "sklaudio"
author = "sklaudio developers"
copyright = "sklaudio developers"
release = sklaudio.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]
templates_path = ["_templates"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py",
                    "auto_examples/*.zip", "auto_examples/*.json", "auto_examples/*.md5"]

autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

sphinx_gallery_conf = {
    # only the short gallery scripts; the long studies in examples/ are not run here
    "examples_dirs": [str(ROOT / "examples" / "gallery")],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "reset_modules": ("matplotlib",),
    "abort_on_example_error": True,
    "show_memory": False,
    "min_reported_time": 1,
}

html_theme = "pydata_sphinx_theme"
html_title = f"sklaudio {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_show_sourcelink = False
