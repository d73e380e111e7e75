"Write README.md from nbs/index.ipynb: markdown cells as they are, visible code cells as code blocks."
import json
from pathlib import Path

root = Path(__file__).resolve().parent.parent
nb = json.loads((root / "nbs" / "index.ipynb").read_text(encoding="utf-8"))
parts = []
for cell in nb["cells"]:
    src = "".join(cell["source"]).strip()
    if not src or (cell["cell_type"] == "code" and src.startswith(("#| hide", "#|hide"))): continue
    parts.append(src if cell["cell_type"] == "markdown" else f"```python\n{src}\n```")
text = "<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->\n\n" + "\n\n".join(parts) + "\n"
readme = root / "README.md"
if not readme.exists() or readme.read_text(encoding="utf-8") != text: readme.write_text(text, encoding="utf-8")
