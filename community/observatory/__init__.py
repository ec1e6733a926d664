"""The observatory: staff read aggregates only, with small counts suppressed."""
