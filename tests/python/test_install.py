"""The package works wherever it is installed: a wheel built from a copy of
the source tree (as pip install git+... does) or from the sdist made from
that copy, installed into a fresh virtual environment once the copy is gone,
loads, reaches, analyses, maps compliance and writes tables with the data it
ships, and its `iotnet` command (and python -m iotnet) runs the command-line
tool on that data.

Everything runs in subprocesses from a neutral working directory, with no
IOTNET_* or PYTHON* variables, so nothing of this checkout can be found."""

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import iotnet

REPO = pathlib.Path(__file__).resolve().parents[2]
#: what a checkout holds besides its sources: builds, environments, caches
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "build", "build-asan", "build-fuzz", "dist",
                                     "*.egg-info", "__pycache__", ".pytest_cache", ".ipynb_checkpoints")
MODEL = REPO / "models" / "topologies" / "home.xml"

#: the steps below compile the whole library once
BUILD_TIMEOUT = 1200


def run(args, cwd, env, timeout=300):
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, "%s failed (%d):\n%s\n%s" % (
        " ".join(map(str, args)), result.returncode, result.stdout[-3000:], result.stderr[-3000:])
    return result


def clean_env():
    """The environment without anything that could point at this checkout."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("IOTNET_", "PYTHON", "VIRTUAL_ENV"))}


@pytest.fixture(scope="module", params=["from-copy", "from-sdist"])
def installed(request, tmp_path_factory):
    """A virtual environment with the package installed from a wheel built
    out of a copy of the source tree, or its sdist, that no longer exists."""
    root = tmp_path_factory.mktemp("install")
    env = clean_env()
    copy, dist, wheels = root / "source-copy", root / "dist", root / "wheels"
    shutil.copytree(REPO, copy, ignore=NOT_SOURCES, symlinks=True)
    made = run([sys.executable, "-c", "import sys; from setuptools import build_meta; "
                "print(build_meta.build_sdist(sys.argv[1]))", dist], cwd=copy, env=env)
    sdist = dist / made.stdout.split()[-1]
    source = copy if request.param == "from-copy" else sdist
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-build-isolation", "--no-deps",
         "-w", wheels, source], cwd=root, env=env, timeout=BUILD_TIMEOUT)
    shutil.rmtree(copy)
    (wheel,) = wheels.glob("libiotnet-*.whl")
    venv = root / "venv"
    # the system's site-packages provide cffi's run-time module (python3-cffi-backend)
    run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv],
        cwd=root, env=env)
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel],
        cwd=root, env=env)
    work = root / "work"
    work.mkdir()
    shutil.copy(MODEL, work / "home.xml")
    return {"venv": venv, "python": python, "work": work, "env": env, "copy": copy, "sdist": sdist}


def in_venv(installed, *args):
    return run(args, cwd=installed["work"], env=installed["env"])


def test_the_sdist_holds_what_the_build_needs(installed):
    import tarfile
    with tarfile.open(installed["sdist"]) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert {"setup.py", "pyproject.toml", "bindings/iotnet_build.py", "bindings/cdefgen.py",
            "libiotnet/include/iotnet/iotnet.h", "libiotnet/src/library.c",
            "libiotnet/tools/main.c", "models/catalogs/schema/catalog.rng",
            "models/catalogs/threats.xml"} <= names
    assert any(n.startswith("models/yang/iotnet-topology@") for n in names)


SCRIPT = r"""
import json, sys
import iotnet
net = iotnet.load("home.xml")
findings = net.analyze()
iso = net.compliance("iso27001-2022")
json.dump({
    "package": iotnet.__file__,
    "data_dir": iotnet.data_dir(),
    "catalog_sources": iotnet.Catalog.default().sources,
    "reach": len(net.reach("internet")),
    "findings": sorted(f.id for f in findings),
    "controls": [(row.id, str(row.status)) for row in iso],
    "table": findings.to_table().to_markdown(),
    "versions": iotnet.versions(),
}, sys.stdout)
"""


def what_the_api_says(python):
    """What SCRIPT reports, run by `python` (cwd must hold home.xml)."""
    return json.loads(subprocess.run([python, "-c", SCRIPT], capture_output=True, text=True,
                                     check=True, timeout=300).stdout)


def test_the_installed_package_uses_its_own_data_for_every_job(installed):
    got = json.loads(in_venv(installed, installed["python"], "-c", SCRIPT).stdout)
    site = str(installed["venv"])
    assert got["package"].startswith(site)
    assert got["data_dir"] == os.path.join(os.path.dirname(got["package"]), "data")
    assert got["catalog_sources"] == [os.path.join(got["data_dir"], "catalogs")]
    # the same answers as the package of this checkout
    cwd = os.getcwd()
    os.chdir(installed["work"])
    try:
        here = what_the_api_says(sys.executable)
    finally:
        os.chdir(cwd)
    for key in ("reach", "findings", "controls", "table", "versions"):
        assert got[key] == here[key], key
    assert got["reach"] > 0 and len(got["findings"]) > 0 and got["controls"]


def test_the_iotnet_command_runs_the_cli_on_the_package_data(installed):
    bin_dir = installed["venv"] / "bin"
    data = installed["venv"].glob("lib/python*/site-packages/iotnet/data")
    (data,) = list(data)
    version = in_venv(installed, bin_dir / "iotnet", "--version").stdout
    assert version.splitlines()[0] == "iotnet %s" % iotnet.library_version
    assert [line.split(" ")[0] for line in version.splitlines()[1:5]] == \
        ["libyang", "libxml2", "igraph", "Graphviz"]
    assert version.splitlines()[-1] == "data directory %s" % data
    assert in_venv(installed, installed["python"], "-m", "iotnet", "--version").stdout == version


@pytest.mark.parametrize("args, needle", [
    (["validate", "home.xml"], "home.xml: ok"),
    (["reach", "home.xml", "--from", "internet"], "cam-porch"),
    (["analyze", "home.xml", "--format", "json"], '"threat"'),
    (["compliance", "home.xml", "--framework", "iso27001-2022"], "A.8.20"),
    (["table", "home.xml", "--format", "markdown"], "| "),
])
def test_each_command_answers_as_in_the_source_tree(installed, args, needle):
    tool = subprocess.run([str(installed["venv"] / "bin" / "iotnet"), *args], capture_output=True,
                          text=True, cwd=installed["work"], env=installed["env"], timeout=300)
    assert tool.stderr == ""
    assert needle in tool.stdout
    # build/iotnet of this checkout reads the checkout's data: the same answer
    here = subprocess.run([str(REPO / "build" / "iotnet"), *args], capture_output=True, text=True,
                          cwd=installed["work"], timeout=300)
    assert (tool.returncode, tool.stdout) == (here.returncode, here.stdout)


def test_the_source_copy_is_gone(installed):
    assert not installed["copy"].exists()
