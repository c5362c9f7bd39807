"""The baseline of ``make bench``: the smallest Flask app, served under the same gunicorn settings
as Terang (bench/http_bench.py). What a page costs is read as a share of this."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
