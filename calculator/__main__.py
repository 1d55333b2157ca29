"""``python -m calculator`` / ``scalerisk``: the command-line front of the calculator."""

from calculator.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
