"""Analytics on assessment results: pure functions over Ibis table expressions.

Nothing in this package imports Django. Every function takes Ibis tables in the
canonical shapes of `schema.py` and returns Ibis expressions (or small Python
results built from them), so the same code runs on DuckDB over Parquet/CSV
files, on the app's SQLite or PostgreSQL database, and on Spark.
"""
