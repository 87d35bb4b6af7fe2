"""Use-case services over an open document; each call is one transaction."""
