"""Both search engines: the Whoosh index the command line reads, the browser index `static/search.js` reads, and the ranking they share."""
