"""Initiatives: proposals and informal actions, the authority's public answers, their story."""
