"""The notebooks are the user guide: each one must run top to bottom on a
fresh kernel, from the notebooks/ directory, as a reader would run it."""

import pathlib
import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS_DIR = pathlib.Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
CELL_TIMEOUT_S = 600
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def notebook_id(path):
    return path.stem


def test_the_user_guide_has_notebooks():
    assert NOTEBOOKS, "no notebooks in %s" % NOTEBOOKS_DIR


@pytest.mark.parametrize("path", NOTEBOOKS, ids=notebook_id)
def test_notebook_runs_top_to_bottom(path):
    notebook = nbformat.read(str(path), as_version=4)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS_DIR)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail("%s failed:\n%s" % (path.name, ANSI_ESCAPE.sub("", str(exc))),
                    pytrace=False)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=notebook_id)
def test_notebook_is_stored_without_outputs(path):
    """Outputs are cleared before a notebook is committed, so diffs show only
    what changed in the guide and no stale results mislead a reader."""
    notebook = nbformat.read(str(path), as_version=4)
    nbformat.validate(notebook)
    stale = [i for i, cell in enumerate(notebook.cells)
             if cell.cell_type == "code" and (cell.outputs or cell.execution_count)]
    assert stale == [], "cells with stored outputs: %s" % stale
