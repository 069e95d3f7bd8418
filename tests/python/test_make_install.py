"""make install as C users expect it: the shared and static library, the
headers, iotnet.pc, the CLI and the data in PREFIX/share/iotnet; a small C
program (tests/install/consumer.c) built against the installed iotnet.pc
loads a model and runs the bundled catalogs from the installed data, both
where PREFIX put it and, after DESTDIR staging, where IOTNET_DATA_DIR says."""

import filecmp
import os
import pathlib
import shlex
import shutil
import subprocess

import pytest

import iotnet

REPO = pathlib.Path(__file__).resolve().parents[2]
MODEL = REPO / "models" / "topologies" / "home.xml"
CONSUMER = REPO / "tests" / "install" / "consumer.c"


def run(args, env=None, cwd=None, check=True, timeout=600):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env,
                            cwd=cwd, timeout=timeout)
    if check:
        assert result.returncode == 0, "%s failed (%d):\n%s\n%s" % (
            " ".join(map(str, args)), result.returncode, result.stdout[-3000:],
            result.stderr[-3000:])
    return result


def clean_env(**extra):
    """The environment without IOTNET_* and pkg-config settings, nor the
    make of `make test` (make install runs on its own, not in its jobs)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("IOTNET_", "PKG_CONFIG", "MAKEFLAGS", "MFLAGS"))}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def make_install(*assignments):
    run(["make", "--no-print-directory", "-C", REPO, "install", *assignments], env=clean_env())


def pkg_config(env, *args):
    return shlex.split(run(["pkg-config", *args, "iotnet"], env=env).stdout)


@pytest.fixture(scope="module")
def expected():
    """What the consumer finds, by the package of this checkout."""
    net = iotnet.load(MODEL)
    return len(iotnet.Catalog.default()), len(net.analyze())


@pytest.fixture
def work(tmp_path):
    """A neutral working directory with the model in it."""
    path = tmp_path / "work"
    path.mkdir()
    shutil.copy(MODEL, path / "home.xml")
    return path


def expect_installed_tree(prefix):
    lib = prefix / "lib"
    assert os.readlink(lib / "libiotnet.so") == "libiotnet.so.0"
    assert os.readlink(lib / "libiotnet.so.0") == "libiotnet.so.%s" % iotnet.library_version
    assert (lib / "libiotnet.a").is_file() and (lib / "pkgconfig" / "iotnet.pc").is_file()
    assert os.access(prefix / "bin" / "iotnet", os.X_OK)
    headers = sorted(p.name for p in (REPO / "libiotnet" / "include" / "iotnet").glob("*.h"))
    assert sorted(p.name for p in (prefix / "include" / "iotnet").iterdir()) == headers
    share = prefix / "share" / "iotnet"
    for part, pattern in (("yang", "*.yang"), ("catalogs", "*.xml"),
                          ("catalogs/schema", "catalog.rng")):
        names = sorted(p.name for p in (REPO / "models" / part).glob(pattern))
        assert names
        assert filecmp.cmpfiles(REPO / "models" / part, share / part, names, shallow=False)[0] == names
    # the data directory compiled in is the installed one, not the source tree's
    assert str(REPO / "models").encode() not in (lib / "libiotnet.so.0").read_bytes()


def test_prefix_install_serves_a_c_program_built_with_pkg_config(tmp_path, work, expected):
    prefix = tmp_path / "prefix"
    make_install("PREFIX=%s" % prefix)
    expect_installed_tree(prefix)
    env = clean_env(PKG_CONFIG_PATH=prefix / "lib" / "pkgconfig")
    assert pkg_config(env, "--modversion") == [iotnet.library_version]
    assert pkg_config(env, "--variable=datadir") == [str(prefix / "share" / "iotnet")]
    assert pkg_config(env, "--print-requires-private") == \
        ["igraph", "libyang", "libxml-2.0", "libgvc", "libcgraph"]
    shared, static = tmp_path / "consumer", tmp_path / "consumer-static"
    run(["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", CONSUMER, "-o", shared,
         *pkg_config(env, "--cflags", "--libs"), "-Wl,-rpath,%s" % (prefix / "lib")], env=env)
    # the static library with what it needs: the libraries iotnet.pc requires
    # and Graphviz's plugins (the Libs.private of iotnet.pc)
    plugins = pkg_config(env, "--variable=gvplugindir")[0]
    requires = run(["pkg-config", "--libs", *pkg_config(env, "--print-requires-private")]).stdout
    run(["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", CONSUMER, "-o", static,
         *pkg_config(env, "--cflags"), prefix / "lib" / "libiotnet.a", *shlex.split(requires),
         "-L" + plugins, "-lgvplugin_dot_layout", "-lgvplugin_core", "-Wl,-rpath," + plugins,
         "-lm", "-lpthread"], env=env)
    assert "libiotnet" in run(["ldd", shared]).stdout
    assert "libiotnet" not in run(["ldd", static]).stdout
    for program in (shared, static):
        said = run([program, "home.xml"], env=clean_env(), cwd=work).stdout
        assert said == "iotnet %s, data %s: %d threats, %d findings\n" % (
            iotnet.library_version, prefix / "share" / "iotnet", *expected)
    # the installed CLI reads the same data, and says where it is
    version = run([prefix / "bin" / "iotnet", "--version"], env=clean_env(), cwd=work).stdout
    assert version.splitlines()[-1] == "data directory %s" % (prefix / "share" / "iotnet")
    analyzed = run([prefix / "bin" / "iotnet", "analyze", "home.xml"], env=clean_env(), cwd=work,
                   check=False)
    here = run([REPO / "build" / "iotnet", "analyze", "home.xml"], cwd=work, check=False)
    assert (analyzed.returncode, analyzed.stdout, analyzed.stderr) == \
        (here.returncode, here.stdout, here.stderr)


def test_destdir_install_is_relocated_with_iotnet_data_dir(tmp_path, work, expected):
    root = tmp_path / "staging"
    make_install("DESTDIR=%s" % root, "PREFIX=/usr")
    prefix = root / "usr"
    expect_installed_tree(prefix)
    env = clean_env(PKG_CONFIG_PATH=prefix / "lib" / "pkgconfig")
    share = prefix / "share" / "iotnet"
    staged = "--define-variable=prefix=%s" % prefix
    assert pkg_config(env, "--variable=datadir") == ["/usr/share/iotnet"]
    assert pkg_config(env, staged, "--variable=datadir") == [str(share)]
    program = tmp_path / "consumer"
    run(["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", CONSUMER, "-o", program,
         *pkg_config(env, staged, "--cflags", "--libs"), "-Wl,-rpath,%s" % (prefix / "lib")],
        env=env)
    said = run([program, "home.xml"], env=clean_env(IOTNET_DATA_DIR=share), cwd=work).stdout
    assert said == "iotnet %s, data %s: %d threats, %d findings\n" % (
        iotnet.library_version, share, *expected)
    cli = run([prefix / "bin" / "iotnet", "info", "home.xml"], env=clean_env(IOTNET_DATA_DIR=share),
              cwd=work)
    assert cli.stdout == run([REPO / "build" / "iotnet", "info", "home.xml"], cwd=work).stdout
    if not os.path.exists("/usr/share/iotnet"):
        # not moved there yet: without IOTNET_DATA_DIR the program says what it looked for
        lost = run([program, "home.xml"], env=clean_env(), cwd=work, check=False)
        assert (lost.returncode, lost.stdout) == (1, "")
        assert lost.stderr == "consumer: cannot use the YANG module directory /usr/share/iotnet/yang\n"
