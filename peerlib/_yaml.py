"""Reading content YAML quickly: libyaml's parser where PyYAML has it, one pass for both the
data and the node tree (whose marks give the line numbers that error messages show).

The content files are parsed when a notebook shows its first exercise; PyYAML's pure-Python
parser took most of that time (about a second for the bank), libyaml's about a tenth of it.
The data is the same: the same safe constructor and resolver build it from the same nodes.
"""

from __future__ import annotations

import yaml

# CSafeLoader exists when PyYAML was built with libyaml (every wheel and conda-forge build).
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str):
    """YAML text as (data, root node); ``yaml.YAMLError`` (with ``problem_mark``) if invalid."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()
