"""Views: translate a request into a query or a service call, and render the answer."""
