"""``python -m barter``: the ``barter`` command line (:mod:`barter.cli`)."""

from barter.cli import main

main()
