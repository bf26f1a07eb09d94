"""``python -m interop`` runs the command line."""

from interop.cli import main

main()
