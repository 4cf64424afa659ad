"""Developer and release tooling (not shipped to Lambda)."""
