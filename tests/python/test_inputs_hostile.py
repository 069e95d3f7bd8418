"""Loading from the Python API under hostile input: devices and FIFOs that
give more than the size limit, directories, text after a JSON document and a
link from a node to itself, for topologies, MUD files and catalogs. Each is
refused with an exception naming the file, the line where known and what was
expected, and nothing is added."""

import pathlib

import pytest

import iotnet
from fifos import fifo_written

REPO = pathlib.Path(__file__).resolve().parents[2]
THERMOSTAT = REPO / "models" / "mud" / "thermostat.json"
BAD = REPO / "tests" / "data" / "bad"


def test_a_device_is_read_only_up_to_max_bytes():
    with pytest.raises(iotnet.InvalidArgumentError) as info:
        iotnet.load("/dev/zero", max_bytes=4096)
    assert str(info.value) == ("/dev/zero: more than the limit of 4096 bytes (max_bytes); "
                               "reading stopped there")
    assert info.value.file == "/dev/zero"
    with pytest.raises(iotnet.InvalidArgumentError, match="more than the limit of 100 bytes"):
        iotnet.MudProfile.load("/dev/zero", max_bytes=100)


def test_a_catalog_has_a_size_limit():
    catalog = iotnet.Catalog()
    with pytest.raises(iotnet.InvalidArgumentError) as info:
        catalog.load("/dev/zero")
    assert str(info.value).startswith("/dev/zero: more than the limit of %d bytes" % (64 << 20))
    assert len(catalog.threats) == 0


def test_a_fifo_over_the_limit_is_refused_and_one_under_it_loads(tmp_path):
    with fifo_written(tmp_path, b" " * 1024, times=1000) as fifo:
        with pytest.raises(iotnet.InvalidArgumentError,
                           match="more than the limit of 10000 bytes"):
            iotnet.load(fifo, max_bytes=10000)
    with fifo_written(tmp_path, THERMOSTAT.read_bytes(), "mud.fifo") as fifo:
        profile = iotnet.MudProfile.load(fifo)
    assert len(profile.aces) == 12


def test_a_directory_is_named_as_one(tmp_path):
    expected = "cannot read %s: it is a directory, not a file" % tmp_path
    with pytest.raises(iotnet.FileError) as info:
        iotnet.load(tmp_path)
    assert str(info.value) == expected
    with pytest.raises(iotnet.FileError, match="it is a directory"):
        iotnet.MudProfile.load(tmp_path)
    with pytest.raises(iotnet.FileError) as info:
        iotnet.Catalog.load(tmp_path)
    assert str(info.value) == "%s: no catalog files (*.xml) in the directory" % tmp_path
    assert info.value.file == str(tmp_path)


def test_text_after_a_json_document_is_refused():
    with pytest.raises(iotnet.ParseError) as info:
        iotnet.load(BAD / "trailing-text.json")
    assert info.value.line == 6
    assert '"}" after the end of the JSON document, expected nothing more' in str(info.value)
    with pytest.raises(iotnet.ParseError) as info:
        iotnet.loads('{"iotnet-topology:topology": {}}\n{"iotnet-topology:topology": {}}\n')
    assert info.value.line == 2
    with pytest.raises(iotnet.ParseError) as info:
        iotnet.MudProfile.loads(THERMOSTAT.read_text() + "\n]\n", name="m.json")
    assert str(info.value).startswith('m.json:%d: "]" after the end of the JSON document'
                                      % (THERMOSTAT.read_text().count("\n") + 2))


@pytest.mark.parametrize("name, line", [("link-to-itself.json", 7), ("link-to-itself.xml", 16)])
def test_a_link_from_a_node_to_itself_names_the_link_the_node_and_the_line(name, line):
    with pytest.raises(iotnet.ValidationError) as info:
        iotnet.load(BAD / name)
    assert str(info.value) == ('%s:%d: link "loop" connects node "gw" to itself; a link joins two '
                               "different nodes (at /iotnet-topology:topology/link[id='loop'])"
                               % (BAD / name, line))
    assert info.value.line == line
    assert info.value.path == "/iotnet-topology:topology/link[id='loop']"
