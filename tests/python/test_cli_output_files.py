"""-o FILE as a user's files meet it: an input is never written over, a symlink,
hard links, mode, owner, a device or FIFO stay what they were, a read-only
file is refused, and a failed run leaves the previous file as it was; and
mud import writes the model back in its own format."""

import os
import pathlib
import shutil
import stat
import subprocess
import threading

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"
HOME = REPO / "models" / "topologies" / "home.xml"
PLANT = REPO / "models" / "topologies" / "plant.xml"
CAMERA = REPO / "models" / "mud" / "garden-camera.json"
CATALOGS = REPO / "models" / "catalogs"
NOW = "2026-11-18"

pytestmark = pytest.mark.skipif(not IOTNET.exists(), reason="build/iotnet is not built")


def run(*args, cwd=None):
    return subprocess.run([str(IOTNET), *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "m.xml"
    shutil.copy(HOME, path)
    return path


def info_text():
    return run("info", HOME).stdout


# ---- -o naming an input ---------------------------------------------------------


def refusal(result, output, input_):
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "-o '%s' is " % output in result.stderr and "'%s': refusing to write over it" % input_ \
        in result.stderr, result.stderr


@pytest.mark.parametrize("command", [
    ["analyze", "{m}", "--now", NOW, "-o", "{m}"],
    ["export", "{m}", "--format", "xml", "-o", "{m}"],
    ["diff", "{m}", PLANT, "-o", "{m}"],
    ["diff", PLANT, "{m}", "-o", "{m}"],
    ["info", "{m}", "-o", "{m}"],
    ["validate", HOME, "{m}", "-o", "{m}"],
    ["table", "{m}", "--now", NOW, "-o", "{m}"],
    ["compliance", "{m}", "--framework", "iso27001-2022", "--now", NOW, "-o", "{m}"],
], ids=lambda c: " ".join(map(str, c[:3])))
def test_output_naming_the_model_is_refused_and_leaves_it(command, model):
    before = model.read_bytes()
    result = run(*[str(model) if a == "{m}" else a for a in command])
    refusal(result, model, model)
    assert model.read_bytes() == before


def test_symlinks_and_hard_links_to_the_model_are_caught(model, tmp_path):
    before = model.read_bytes()
    (tmp_path / "link.xml").symlink_to(model)
    os.link(model, tmp_path / "hard.xml")
    refusal(run("export", model, "--format", "json", "-o", tmp_path / "link.xml"),
            tmp_path / "link.xml", model)
    refusal(run("analyze", tmp_path / "link.xml", "-o", model), model, tmp_path / "link.xml")
    refusal(run("info", tmp_path / "hard.xml", "-o", model), model, tmp_path / "hard.xml")
    assert model.read_bytes() == before and (tmp_path / "link.xml").is_symlink()


def test_mud_import_refuses_writing_over_the_mud_file(model, tmp_path):
    mud = tmp_path / "camera.json"
    shutil.copy(CAMERA, mud)
    before = model.read_bytes()
    refusal(run("mud", "import", mud, "--device", "cam-garden", "--into", model, "-o", mud), mud, mud)
    assert mud.read_bytes() == CAMERA.read_bytes() and model.read_bytes() == before


def test_mud_import_may_name_the_model_as_output(model):
    result = run("mud", "import", CAMERA, "--device", "cam-garden", "--into", model, "-o", model)
    assert result.returncode == 0, result.stderr
    assert "<mud-profile>" in model.read_text()


def test_catalog_files_and_directories_are_inputs(model, tmp_path):
    catalogs = tmp_path / "catalogs"
    shutil.copytree(CATALOGS, catalogs)
    threats = catalogs / "threats.xml"
    assert threats.exists()
    before = threats.read_bytes()
    refusal(run("analyze", model, "--no-bundled", "--catalog", threats, "-o", threats), threats, threats)
    refusal(run("analyze", model, "--no-bundled", "--catalog", catalogs, "-o", threats), threats, catalogs)
    assert "a catalog of the directory" in run("analyze", model, "--catalog", catalogs, "-o", threats).stderr
    assert threats.read_bytes() == before


# ---- what the target keeps ------------------------------------------------------


def test_a_symlink_stays_a_symlink_and_its_file_is_written(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("previous")
    link = tmp_path / "out.txt"
    link.symlink_to("real.txt")
    assert run("info", HOME, "-o", link).returncode == 0
    assert link.is_symlink() and os.readlink(link) == "real.txt"
    assert real.read_text() == info_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt", "real.txt"]


def test_a_dangling_symlink_creates_the_file_it_names(tmp_path):
    (tmp_path / "sub").mkdir()
    link = tmp_path / "out.txt"
    link.symlink_to("sub/new.txt")
    assert run("info", HOME, "-o", link).returncode == 0
    assert link.is_symlink() and (tmp_path / "sub" / "new.txt").read_text() == info_text()


def test_hard_links_stay_one_file(tmp_path):
    first = tmp_path / "a.txt"
    first.write_text("previous")
    os.link(first, tmp_path / "b.txt")
    assert run("info", HOME, "-o", first).returncode == 0
    assert os.stat(first).st_nlink == 2 and os.path.samefile(first, tmp_path / "b.txt")
    assert (tmp_path / "b.txt").read_text() == info_text()


def test_mode_is_kept(tmp_path):
    out = tmp_path / "private.txt"
    out.write_text("previous")
    out.chmod(0o600)
    assert run("info", HOME, "-o", out).returncode == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600 and out.read_text() == info_text()


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another owner needs root")
def test_owner_is_kept(tmp_path):
    out = tmp_path / "theirs.txt"
    out.write_text("previous")
    os.chown(out, 65534, 65534)
    assert run("info", HOME, "-o", out).returncode == 0
    st = os.stat(out)
    assert (st.st_uid, st.st_gid) == (65534, 65534) and out.read_text() == info_text()


def test_a_read_only_file_is_refused_and_kept(tmp_path):
    out = tmp_path / "ro.txt"
    out.write_text("previous")
    out.chmod(0o444)
    result = run("info", HOME, "-o", out)
    assert result.returncode == 3
    assert result.stderr == "iotnet info: %s is read-only: not overwritten " \
        "(make it writable or choose another file)\n" % out
    assert out.read_text() == "previous" and stat.S_IMODE(os.stat(out).st_mode) == 0o444
    assert [p.name for p in tmp_path.iterdir()] == ["ro.txt"]


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_node_is_written_through(tmp_path):
    null = tmp_path / "null"
    # the device of /dev/null, made here: the machine's own is not risked
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    assert run("info", HOME, "-o", null).returncode == 0
    assert stat.S_ISCHR(os.stat(null).st_mode) and os.stat(null).st_rdev == os.makedev(1, 3)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()), daemon=True)
    reader.start()
    result = run("info", HOME, "-o", fifo)
    reader.join(timeout=60)
    if reader.is_alive() and stat.S_ISFIFO(os.stat(fifo).st_mode):
        fifo.write_text("")  # nothing came through: let the reader end
    reader.join(timeout=5)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and got == [info_text()]


def test_a_failed_run_leaves_a_linked_file_as_it_was(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("previous")
    os.link(out, tmp_path / "other.txt")
    result = run("info", tmp_path / "missing.xml", "-o", out)
    assert result.returncode == 3
    assert out.read_text() == "previous" and os.stat(out).st_nlink == 2


# ---- mud import keeps the model's format ------------------------------------------


def test_import_in_place_keeps_xml_whatever_the_name_and_notes_lost_comments(tmp_path):
    model = tmp_path / "home-model"  # no .xml
    shutil.copy(HOME, model)
    comments = HOME.read_text().count("<!--")
    assert comments == 57
    model.chmod(0o640)
    result = run("mud", "import", CAMERA, "--device", "cam-garden", "--into", model)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ("iotnet mud import: note: %s was rewritten from its data: "
                             "its 57 comments are not kept\n" % model)
    text = model.read_text()
    assert text.startswith("<") and "<mud-profile>" in text
    assert stat.S_IMODE(os.stat(model).st_mode) == 0o640
    assert run("validate", model).returncode == 0


def test_import_in_place_keeps_json(tmp_path):
    model = tmp_path / "home.model"
    assert run("export", HOME, "--format", "json", "-o", model).returncode == 0
    result = run("mud", "import", CAMERA, "--device", "cam-garden", "--into", model)
    assert result.returncode == 0 and result.stderr == ""
    assert model.read_text().startswith("{")


@pytest.mark.parametrize("name, start", [("out.json", "{"), ("out.xml", "<"), ("out.model", "<")])
def test_import_output_format_by_suffix_else_the_models(model, tmp_path, name, start):
    out = tmp_path / name
    result = run("mud", "import", CAMERA, "--device", "cam-garden", "--into", model, "-o", out)
    assert result.returncode == 0 and result.stderr == ""
    assert out.read_text().startswith(start)


def test_import_help_says_comments_are_not_kept():
    text = run("mud", "import", "--help").stdout
    assert "comments and\nlayout of MODEL are not kept" in text
    assert "told by its\ncontent, not its name" in text


def test_import_in_place_through_a_symlink_keeps_the_link(model, tmp_path):
    link = tmp_path / "current.xml"
    link.symlink_to(model.name)
    result = run("mud", "import", CAMERA, "--device", "cam-garden", "--into", link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and "<mud-profile>" in model.read_text()
