"""show_doc reads cleanly in JupyterLab: nbdev's default renderer writes Quarto's link attributes
(`[source](...){target="_blank" ...}`), which JupyterLab's markdown shows as text; settings.ini names the package's own."""
import os, subprocess, sys
from pathlib import Path

NBS = Path(__file__).resolve().parents[1] / "nbs"

def test_show_doc_in_a_notebook_folder_has_no_quarto_markup():
    code = ("from nbdev.showdoc import show_doc; from bert_tutorial.data import split_data; "
            "print(show_doc(split_data)._repr_markdown_())")
    r = subprocess.run([sys.executable, "-c", code], cwd=NBS, capture_output=True, text=True, timeout=120,
                       env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert r.returncode == 0, r.stderr
    assert "{target=" not in r.stdout and "source" not in r.stdout.split("```")[0], r.stdout
    assert "### split_data" in r.stdout and "def split_data(" in r.stdout and "one row per example" in r.stdout

def test_importing_the_package_does_not_import_nbdev():
    r = subprocess.run([sys.executable, "-c", "import sys, bert_tutorial.predict; print('nbdev' in sys.modules)"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "False", (r.stdout, r.stderr)
