"""``python -m workshop notebooks [Voila options]``: serve the course for a room (see ``workshop.server``)."""
from workshop.server import main

if __name__ == "__main__":
    main()
