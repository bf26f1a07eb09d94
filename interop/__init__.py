"""interop: cross-border judicial cooperation documents, validated and multilingual.

The flow is convert -> validate -> translate -> render; each capability lives in its own
sub-package and takes a parsed common document (an lxml tree) plus options.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("interop")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
