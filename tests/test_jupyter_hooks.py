"""A notebook saved from JupyterLab comes out clean: the project's environment configures Jupyter's pre-save hook
to nbdev's cleaner (tools/setup.sh), and settings.ini turns it on (`jupyter_hooks = True`)."""
import json, shutil
from pathlib import Path

from jupyter_server.serverapp import ServerApp
from jupyter_server.services.contents.filemanager import FileContentsManager

ROOT = Path(__file__).resolve().parents[1]

def test_a_saved_run_is_cleaned_as_it_is_saved(tmp_path, monkeypatch):
    shutil.copy(ROOT / "settings.ini", tmp_path)
    (tmp_path / "nbs").mkdir()
    nb = json.loads((ROOT / "nbs/01_data.ipynb").read_text())
    original = json.dumps(nb, sort_keys=True)
    for i, c in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):  # what Run All and a save leave
        c["execution_count"] = i + 1
        c["metadata"] = {"execution": {"iopub.status.busy": "2026-12-02T10:00:00Z"}, "scrolled": True}
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.7"}
    monkeypatch.chdir(tmp_path)  # as `jupyter lab nbs/` from the project: the hook finds settings.ini above nbs/
    app = ServerApp()
    app.load_config_file()  # the configuration a `jupyter lab` started from this environment reads
    assert app.config.ContentsManager.pre_save_hook == "nbdev.clean.clean_jupyter", app.config
    FileContentsManager(root_dir=str(tmp_path), config=app.config).save(
        {"type": "notebook", "format": "json", "content": nb}, "nbs/01_data.ipynb")
    saved = json.loads((tmp_path / "nbs/01_data.ipynb").read_text())
    assert all(c.get("execution_count") is None and not c["metadata"] for c in saved["cells"] if c["cell_type"] == "code")
    assert "language_info" not in saved["metadata"]
    assert json.dumps(saved, sort_keys=True) == original  # exactly the committed notebook again
