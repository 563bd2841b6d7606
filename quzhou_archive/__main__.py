from quzhou_archive.cli import main

raise SystemExit(main())
