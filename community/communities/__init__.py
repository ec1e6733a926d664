"""Thematic communities, memberships, gardener pairs and their handovers."""
