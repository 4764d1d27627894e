"""mkdocs-gen-files adapter: a page of its own for every figure of the catalog (``figures/NAME/``).

The pages are made by scripts/figure_pages.py (MkDocs-free); they are in no navigation
(``not_in_nav`` in mkdocs.yml) and not in the search index (the gallery is); the gallery and each
figure's enlarged view link to them.
"""

import sys
from pathlib import Path

import mkdocs_gen_files

sys.path.insert(0, str(Path(__file__).parent))
from figure_pages import pages  # noqa: E402
from pages import published  # noqa: E402

config = mkdocs_gen_files.config
for path, text in pages(Path(config.docs_dir), config.theme["language"], config.site_url or "", set(published())).items():
    with mkdocs_gen_files.open(path, "w", encoding="utf-8") as page:
        page.write(text)
