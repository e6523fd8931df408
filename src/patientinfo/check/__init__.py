"""The editors' check: findings, the rules that make them, the report."""
