"""The MkDocs adapter: a thin plugin over the plain Python API (model, render)."""
