"""Cross-cutting pieces shared by every domain."""
