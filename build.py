#!/usr/bin/env python3
"""Broadsheet command line: `python build.py [ingest|serve] …` (see README)."""
import os
import sys

from broadsheet.cli import main

if __name__ == "__main__":
    code = main(sys.argv[1:])
    # Leave without tearing down the interpreter: freeing a big archive's objects one by one
    # takes a noticeable part of a nightly build, and the operating system frees them at once.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code or 0)
