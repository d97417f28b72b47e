"""Workshop mode: the course's notebooks served by Voila to a room, with the safeguards Voila lacks.

``python -m workshop notebooks [Voila options]`` (what ``make workshop`` runs, from the repository
root) starts :class:`workshop.server.WorkshopVoila`. Its settings live in one place,
``workshop/voila.json`` (idle culling, kernel transport, kernel limit, page template); the page
template ``course`` (``workshop/jupyter/voila/templates/course/``) adds the message a learner sees
when the page's kernel is gone. Command-line options override the file.

Importing this package changes nothing; nothing here is used by the notebooks themselves.
"""
