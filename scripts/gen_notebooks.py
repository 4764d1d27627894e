"""mkdocs-gen-files adapter: every chapter's snippets as a Jupyter notebook, for one language build.

``notebooks/NAME.ipynb`` for each page of docs_dir that includes snippets, its headings in the
page's language (scripts/notebooks.py makes them; scripts/hooks.py puts a download button beside
the chapter's title). Nothing is written into docs/.
"""

import sys
from pathlib import Path

import mkdocs_gen_files

sys.path.insert(0, str(Path(__file__).parent))
from notebooks import notebooks, store  # noqa: E402

config = mkdocs_gen_files.config
kept = store(config.theme["language"])  # a chapter that has not changed is not made again
made = notebooks(Path(config.docs_dir), config.theme["language"], config.site_url,
                 config.extra.get("repository") or "", kept=kept)
kept.keep()
for name, data in made.items():
    with mkdocs_gen_files.open(f"notebooks/{name}", "wb") as target:
        target.write(data)
