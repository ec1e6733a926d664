"""Moderation: reports, moderation acts and transparency."""
