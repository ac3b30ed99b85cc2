"""The trusted side never imports student code, TensorFlow, or anything that unpickles or evaluates."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNTRUSTED = {ROOT / "autograder" / "sandbox" / "probes", ROOT / "autograder" / "sandbox" / "notebook_worker.py"}
FORBIDDEN_MODULES = {"pickle", "dill", "marshal", "shelve", "cloudpickle", "joblib", "utils", "tensorflow", "keras",
                     "tf_keras"}
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}


def trusted_files():
    for path in sorted((ROOT / "autograder").rglob("*.py")):
        if not any(path == u or u in path.parents for u in UNTRUSTED):
            yield path
    yield from sorted((ROOT / "reference").glob("*.py"))


@pytest.mark.parametrize("path", list(trusted_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_trusted_module_imports_and_calls(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lazy_ok = path.name == "bptt.py"  # gradients_by_autodiff: test-only cross-check, imports TF lazily
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                if lazy_ok and top == "tensorflow":
                    continue
                assert top not in FORBIDDEN_MODULES, f"{path.name} imports {name}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in FORBIDDEN_CALLS, f"{path.name} calls {node.func.id}"
        if isinstance(node, ast.keyword) and node.arg == "allow_pickle":
            assert isinstance(node.value, ast.Constant) and node.value.value is False
