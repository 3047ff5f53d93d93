#!/usr/bin/env python3
"""Broadsheet command line: `python build.py [ingest|serve] …` (see README)."""
import sys

from broadsheet.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
