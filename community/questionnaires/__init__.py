"""Questionnaires: asked on the web, on paper or in person; suppressed results; a follow-up."""
