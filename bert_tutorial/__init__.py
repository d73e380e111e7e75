__version__ = "0.1.0"

def __getattr__(name):
    # settings.ini's `renderer = bert_tutorial.ShowDoc`: nbdev's show_doc without the Quarto link markup
    # (`{target="_blank" ...}`) that JupyterLab shows as text; built on first use, so that importing the
    # package never imports nbdev
    if name != "ShowDoc": raise AttributeError(f"module 'bert_tutorial' has no attribute {name!r}")
    from fastcore.docments import MarkdownRenderer

    class ShowDoc(MarkdownRenderer):
        "show_doc's output: a heading with the name, the documented signature, the docstring"
        def _repr_markdown_(self): return f"---\n\n{'#' * self.title_level} {self.nm}\n\n" + super()._repr_markdown_()
    globals()["ShowDoc"] = ShowDoc
    return ShowDoc
