"""The library itself from Python: versions, and the data directory the
package ships and hands to the C library at import."""

import os
import pathlib
import subprocess
import sys

import pytest

import iotnet
from iotnet import cli

REPO = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = pathlib.Path(iotnet.__file__).parent


def pkg_config_version(package):
    return subprocess.run(["pkg-config", "--modversion", package], capture_output=True,
                          text=True, check=True).stdout.strip()


def test_the_data_directory_is_the_one_the_package_ships():
    data = PACKAGE / "data"
    assert iotnet.data_dir() == str(data)
    assert iotnet.yang_dir() == str(data / "yang")
    assert iotnet.catalog_dir() == str(data / "catalogs")
    assert (data / "catalogs" / "schema" / "catalog.rng").is_file()
    assert iotnet.Catalog.default().sources == [str(data / "catalogs")]


def test_the_environment_does_not_redirect_the_package():
    env = dict(os.environ, IOTNET_DATA_DIR="/nonexistent/share/iotnet")
    said = subprocess.run([sys.executable, "-c", "import iotnet; print(iotnet.data_dir()); "
                           "print(len(iotnet.Catalog.default()))"],
                          capture_output=True, text=True, env=env, cwd="/", check=True).stdout
    assert said.splitlines()[0] == iotnet.data_dir()
    assert int(said.splitlines()[1]) == len(iotnet.Catalog.default())


def test_versions_name_the_library_and_those_under_it():
    assert iotnet.versions() == {
        "iotnet": iotnet.library_version,
        "libyang": pkg_config_version("libyang"),
        "libxml2": pkg_config_version("libxml-2.0"),
        "igraph": pkg_config_version("igraph"),
        "Graphviz": iotnet.versions()["Graphviz"],
    }
    assert iotnet.versions()["Graphviz"][0].isdigit()


def test_loading_a_mud_file_leaves_the_environment_alone(monkeypatch):
    monkeypatch.delenv("IOTNET_YANG_DIR", raising=False)
    iotnet.MudProfile.load(REPO / "models" / "mud" / "sprinkler.json")
    assert "IOTNET_YANG_DIR" not in os.environ


def test_the_command_says_when_its_tool_is_missing(monkeypatch, capsys):
    monkeypatch.setattr(cli, "TOOL", "/nonexistent/iotnet/bin/iotnet")
    assert cli.main(["--version"]) == 3
    assert capsys.readouterr().err == ("iotnet: the command-line tool /nonexistent/iotnet/bin/iotnet "
                                       "is missing from this installation (reinstall the package)\n")


@pytest.mark.parametrize("command", [[str(PACKAGE.parents[3] / "bin" / "iotnet")],
                                     [sys.executable, "-m", "iotnet"]])
def test_the_command_runs_the_tool_with_the_package_data(command):
    result = subprocess.run(command + ["--version"], capture_output=True, text=True, cwd="/",
                            env=dict(os.environ, IOTNET_DATA_DIR="/elsewhere"), timeout=60)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.splitlines()[0] == "iotnet " + iotnet.library_version
    assert result.stdout.splitlines()[-1] == "data directory " + iotnet.data_dir()
