"""Storage: SQLAlchemy tables, the database engine and the unit of work."""
