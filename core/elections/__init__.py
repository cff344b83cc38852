"""Elections of delegates: the pure counts that decide who holds a seat."""
