# Stubs of the Rust extension module mycpaas._mycpaas (checked by `python -m mypy.stubtest mycpaas._mycpaas`).

__all__ = ["__version__"]

__version__: str
