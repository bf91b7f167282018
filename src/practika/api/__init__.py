"""The HTTP edge: routers, dependencies, schemas and the error shape."""
