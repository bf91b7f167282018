"""`python -m practika.cli`: the same command as `practika`."""

from practika.cli import app

app()
