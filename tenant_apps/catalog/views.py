"""Parents' pages of the services app: none of its own (services appear in the bookings grid)."""
