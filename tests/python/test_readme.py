"""The README's Python tour runs as written: the model it builds, then its
reachability, compliance, drawings and tables for Internet-Drafts, each
statement in order in one namespace, from the checkout's root."""

import ast
import pathlib
import re

import pytest

import iotnet

REPO = pathlib.Path(__file__).resolve().parents[2]
README = REPO / "README.md"

# the blocks that begin with these lines; the others need files or
# directories of the reader's own (my-catalogs/) or are shell commands
BLOCKS = ["import iotnet", "rows = net.reach(", "iso = net.compliance(", "svg = net.export(",
          "findings = net.analyze()"]


def indented_blocks(text):
    """Each Markdown code block indented by four spaces, unindented."""
    blocks, current = [], []
    for line in text.split("\n") + [""]:
        if line.startswith("    ") or (current and not line.strip()):
            current.append(line[4:])
        elif current:
            blocks.append("\n".join(current).strip("\n"))
            current = []
    return blocks


def tour():
    blocks = indented_blocks(README.read_text())
    chosen = []
    for start in BLOCKS:
        found = [b for b in blocks if b.startswith(start)]
        assert found, "README has no block starting %r" % start
        chosen.append(found[0])
    return chosen


@pytest.mark.skipif(not iotnet.catalog.has_engine(),
                    reason="the catalog and evaluation engine is not in this build")
def test_readme_python_tour_runs(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models").symlink_to(REPO / "models")
    namespace = {}
    for block in tour():
        for statement in ast.parse(block).body:
            source = ast.get_source_segment(block, statement)
            try:
                exec(compile(ast.Module([statement], []), "<README>", "exec"), namespace)
            except Exception as exc:  # name the statement that failed
                pytest.fail("README statement %r raised %s: %s" % (source, type(exc).__name__, exc))
    # what the comments of the tour promise
    assert namespace["g"].nodes["cam"]["exposure"] == "port-forward"
    assert re.match(r"^A\.", namespace["iso"].statement_of_applicability().split("\r\n")[1])
    assert namespace["doc"].lstrip().startswith("<?xml") and namespace["md"].startswith("---")
