"""The yardstick of `make bench`: a bare Flask "hello", served by the same gunicorn."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"


@app.get("/sante")
def health() -> str:
    return "ok"
