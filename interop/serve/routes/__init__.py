"""The API's routes, one module per capability; each module's ``ROUTES`` lists its own."""
