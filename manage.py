#!/usr/bin/env python
"""Django's command-line utility; `connective` is the same thing, installed."""

from connective.cli import main

if __name__ == "__main__":
    main()
