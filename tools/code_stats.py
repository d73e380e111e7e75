"""The package's shape, counted from bert_tutorial/ (issue 22's figures): functions with more than 8 parameters,
functions longer than 30 lines, and the modules that call `.backward(`.

    python tools/code_stats.py"""
import ast, re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "bert_tutorial"

def functions():
    "(module, name, parameters, lines) of every function and method in the package."
    for p in sorted(PACKAGE.glob("*.py")):
        if p.name == "_modidx.py": continue
        for n in ast.walk(ast.parse(p.read_text())):
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                a = n.args
                k = len(a.posonlyargs) + len(a.args) + len(a.kwonlyargs) + bool(a.vararg) + bool(a.kwarg)
                if a.args and a.args[0].arg in ("self", "cls"): k -= 1
                yield p.stem, n.name, k, n.end_lineno - n.lineno + 1

if __name__ == "__main__":
    fs = list(functions())
    many = sorted((f for f in fs if f[2] > 8), key=lambda f: -f[2])
    long = sorted((f for f in fs if f[3] > 30), key=lambda f: -f[3])
    print(f"{len(fs)} functions; more than 8 parameters: {len(many)}: "
          + ", ".join(f"{m}.{n} ({k})" for m, n, k, _ in many))
    print(f"longer than 30 lines: {len(long)}: " + ", ".join(f"{m}.{n} ({l})" for m, n, _, l in long))
    calls = sorted(p.stem for p in PACKAGE.glob("*.py") if re.search(r"\.backward\(", p.read_text()))
    print(f"modules calling .backward(: {calls}")
