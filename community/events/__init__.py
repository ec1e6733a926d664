"""Rencontres: workshops, permanences and meetings that people register for and come to."""
