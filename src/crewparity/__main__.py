"""`python -m crewparity` runs the CLI."""

from crewparity.cli import main

if __name__ == "__main__":
    main()
