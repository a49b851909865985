"""Parents' pages of the services app."""

