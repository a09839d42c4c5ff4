"""`python -m flashpoint ...` runs the command-line interface (the same as the `flashpoint` command)."""

from .cli import run

run()
