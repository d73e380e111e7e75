__version__ = "0.1.0"

def _share_the_cores_under_nbdev_test():
    """`nbdev_test` runs several notebooks at once, one per worker process (`num_cpus()` of them, up to 8, unless
    `--n_workers` says otherwise), and each torch starts as many threads as there are cores: on 2 cores, four threads
    fight over two. In such a worker, and only there (nbdev sets IN_TEST; a thread count the user set is kept), torch
    gets its share of the cores, and so do the commands a notebook starts (OMP_NUM_THREADS)."""
    import multiprocessing, os
    if not os.environ.get("IN_TEST") or "OMP_NUM_THREADS" in os.environ: return
    if multiprocessing.current_process().name == "MainProcess": return  # one notebook, run in nbdev_test's process
    from fastcore.basics import num_cpus  # the cores this process may use, as nbdev_test counts them
    cores = num_cpus() or 1
    threads = max(1, cores // min(cores, 8))
    os.environ["OMP_NUM_THREADS"] = str(threads)
    import torch
    torch.set_num_threads(threads)

_share_the_cores_under_nbdev_test()

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

def console():
    """The `bert-tutorial` command (settings.ini's `console_scripts`): `cli.main` in a process of its own.
    Importing torch and transformers makes millions of objects and no garbage, so the garbage collector is off while
    they load and what they made is then frozen out of its sight (`gc.freeze`): never scanned again during the run,
    nor at exit. Measured on the 640-tweet run of 14_compare (2 cores, one thread): about 2 s less per process, 22.6
    and 21.5 s a run against 24.7 and 23.4 s."""
    import gc, sys
    gc.disable()
    from .cli import main
    gc.freeze(); gc.enable()
    sys.exit(main())
