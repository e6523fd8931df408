"""Stage a site from its content (pages, PDFs, findings), reuse an unchanged build, publish it."""
