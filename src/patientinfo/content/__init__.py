"""Reading the content safely, its schema, loading and validating it, the one comment-keeping YAML editor."""
