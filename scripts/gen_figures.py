"""mkdocs-gen-files adapter: put the catalog's figures into the site as figures/NAME.gif.

The only file that knows both MkDocs and the figure engine. Figures are rendered through the
engine's cache (outside docs/), so both language builds and every live reload reuse them;
nothing is written into docs/.
"""

import mkdocs_gen_files

from figures import build

for filename, cached in build.files():
    with mkdocs_gen_files.open(f"figures/{filename}", "wb") as target:
        target.write(cached.read_bytes())
