"""Alembic migrations of the review record (a package so wheels and installs carry them)."""
