"""The tables and drafts are read by the real tools draft authors use: the
xml2rfc of requirements-dev.txt renders every generated document of the
four reference topologies to text and HTML with no error and no warning,
and kramdown-rfc (Debian's ruby-kramdown-rfc2629) turns the Markdown draft
into XML that xml2rfc renders the same way. Everything runs offline: the
documents have no external references, and xml2rfc is told not to use the
network."""

import pathlib
import shutil
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"
TOPOLOGIES = sorted((REPO / "models" / "topologies").glob("*.xml"))
KINDS = ["findings", "threats", "exposure", "zones"]
XML2RFC = pathlib.Path(sys.executable).parent / "xml2rfc"

pytestmark = pytest.mark.skipif(not IOTNET.exists(), reason="build/iotnet is not built")

#: A document to paste a single <table> into, as an author would.
SKELETON = """<?xml version="1.0" encoding="UTF-8"?>
<rfc version="3" category="info" docName="draft-example-paste-00" ipr="trust200902"
     submissionType="IETF" xml:lang="en">
  <front>
    <title>Pasted table</title>
    <seriesInfo name="Internet-Draft" value="draft-example-paste-00"/>
    <author fullname="A. Author"/>
    <date/>
    <abstract><t>One table.</t></abstract>
  </front>
  <middle>
    <section anchor="results"><name>Results</name>
%s
    </section>
  </middle>
  <back/>
</rfc>
"""


def iotnet(*args):
    result = subprocess.run([str(IOTNET), *map(str, args)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def xml2rfc(path, tmp_path):
    """Render to text and HTML; the problems xml2rfc reported on stderr."""
    assert XML2RFC.exists(), "xml2rfc is not installed: make setup installs requirements-dev.txt"
    result = subprocess.run([str(XML2RFC), "--no-network", "--text", "--html", str(path),
                             "--path", str(tmp_path)], capture_output=True, text=True, timeout=300)
    problems = [line for line in result.stderr.splitlines()
                if line.strip() and not line.strip().startswith("Created file")]
    assert result.returncode == 0, result.stderr
    assert (tmp_path / (path.stem + ".txt")).stat().st_size > 0
    assert (tmp_path / (path.stem + ".html")).stat().st_size > 0
    return problems


@pytest.mark.parametrize("model", TOPOLOGIES, ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", KINDS)
def test_each_table_pasted_into_a_draft_renders_cleanly(model, kind, tmp_path):
    table = iotnet("table", model, "--table", kind, "--format", "xml2rfc")
    doc = tmp_path / ("%s-%s.xml" % (model.stem, kind))
    doc.write_text(SKELETON % table, encoding="utf-8")
    assert xml2rfc(doc, tmp_path) == []


@pytest.mark.parametrize("model", TOPOLOGIES, ids=lambda p: p.stem)
def test_whole_draft_renders_cleanly(model, tmp_path):
    doc = tmp_path / ("draft-%s.xml" % model.stem)
    iotnet("table", model, "--format", "draft-xml", "-o", doc)
    assert xml2rfc(doc, tmp_path) == []
    text = (tmp_path / (doc.stem + ".txt")).read_text(encoding="utf-8")
    assert "Security Considerations" in text and "IANA Considerations" in text
    assert text.count("Table 4:") == 1, "four tables, numbered by xml2rfc"


KRAMDOWN = shutil.which("kramdown-rfc") or shutil.which("kramdown-rfc2629")


@pytest.mark.skipif(KRAMDOWN is None, reason="kramdown-rfc is not installed (Debian package "
                                             "ruby-kramdown-rfc2629; make setup installs it)")
@pytest.mark.parametrize("model", TOPOLOGIES, ids=lambda p: p.stem)
def test_markdown_draft_goes_through_kramdown_rfc_and_xml2rfc(model, tmp_path):
    md = tmp_path / ("draft-%s.md" % model.stem)
    iotnet("table", model, "--format", "draft-markdown", "-o", md)
    converted = subprocess.run([KRAMDOWN, str(md)], capture_output=True, text=True, timeout=300,
                               cwd=tmp_path)
    assert converted.returncode == 0, converted.stderr
    assert converted.stderr.strip() == "", converted.stderr
    doc = tmp_path / ("draft-%s.xml" % model.stem)
    doc.write_text(converted.stdout, encoding="utf-8")
    assert xml2rfc(doc, tmp_path) == []
    text = (tmp_path / (doc.stem + ".txt")).read_text(encoding="utf-8")
    assert text.count("Table 4:") == 1
