"""Which facts each page, leaflet section and form shows: the page model, as data."""
