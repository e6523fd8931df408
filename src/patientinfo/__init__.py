"""Patient information built from one set of language-neutral facts.

The pipeline has one module per stage: ``yamlio`` (YAML with line numbers), ``schema`` (typed
models), ``content`` (load and cross-check everything), ``formatting`` (Babel), ``render``
(Jinja to Markdown), ``mkdocs_plugin`` (thin MkDocs glue), ``pdf`` (leaflets) and ``check``
(the editors' report). Only ``mkdocs_plugin`` imports MkDocs.
"""

__version__ = "0.1.0"
