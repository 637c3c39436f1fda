"""Gettext catalogues through polib, as GNU gettext reads, writes and merges them.

Modules, imports pointing down the list:

- :mod:`~pipeline.gettext.catalogue`: the :class:`Catalogue` (a polib
  catalogue and what its file held), opening, writing, new catalogues;
- :mod:`~pipeline.gettext.merge`: `msgmerge --previous`;
- :mod:`~pipeline.gettext.template`: a POT from articles;
- :mod:`~pipeline.gettext.stats`: counts and completeness;
- :mod:`~pipeline.gettext.reader` and :mod:`~pipeline.gettext.writer`: PO
  text in gettext's grammar and layout, with :mod:`~pipeline.gettext.linebreak`
  (UAX #14, terminal width) and :mod:`~pipeline.gettext.directives` (format
  directives never split);
- :mod:`~pipeline.gettext.entries` (the one way to make an entry),
  :mod:`~pipeline.gettext.provenance` (comment markers),
  :mod:`~pipeline.gettext.plurals` (Plural-Forms by meaning),
  :mod:`~pipeline.gettext.languages` and :mod:`~pipeline.gettext.mo`.
"""
