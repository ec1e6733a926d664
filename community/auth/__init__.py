"""Authentication: sign-up, login, password reset and API tokens."""
