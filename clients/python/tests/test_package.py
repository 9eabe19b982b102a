"""pyproject.toml builds a wheel offline (Debian's python3-build, --no-isolation) that imports on its own."""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def test_builds_a_wheel_that_imports_without_the_source_tree(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(PACKAGE, src, ignore=shutil.ignore_patterns("tests", "build", "*.egg-info", "__pycache__", ".pytest_cache"))
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", str(tmp_path / "dist"), str(src)], check=True, capture_output=True)
    [wheel] = (tmp_path / "dist").glob("ioa_client-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {"ioa_client/__init__.py", "ioa_client/client.py", "ioa_client/agent.py", "ioa_client/types.py"} <= set(names)
    code = f"import sys; sys.path.insert(0, {str(wheel)!r}); import ioa_client; print(ioa_client.__file__, ioa_client.PROTOCOL)"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True, capture_output=True, text=True).stdout
    assert out.strip().endswith("ioa/1") and str(wheel) in out
